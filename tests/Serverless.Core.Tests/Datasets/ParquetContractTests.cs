using Parquet;
using Parquet.Schema;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

public class ParquetContractTests
{
    /// <summary>Writes one row group; each column is (field, values) where values is a typed array.</summary>
    private static async Task<byte[]> WriteAsync(params (DataField Field, Array Values)[] columns)
    {
        var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), ms))
        {
            using var group = writer.CreateRowGroup();
            foreach (var (field, values) in columns)
            {
                await (values switch
                {
                    string?[] s => group.WriteAsync(field, s!, null),
                    int?[] i => group.WriteAsync<int>(field, i),
                    int[] i => group.WriteAsync<int>(field, i),
                    long[] l => group.WriteAsync<long>(field, l),
                    short[] h => group.WriteAsync<short>(field, h),
                    double?[] d => group.WriteAsync<double>(field, d),
                    float[] f => group.WriteAsync<float>(field, f),
                    decimal[] m => group.WriteAsync<decimal>(field, m),
                    bool?[] b => group.WriteAsync<bool>(field, b),
                    bool[] b => group.WriteAsync<bool>(field, b),
                    _ => throw new ArgumentException(values.GetType().Name),
                });
            }
        }

        return ms.ToArray();
    }

    [Fact]
    public async Task Any_numeric_width_bool_or_int_booleans_and_strings_are_accepted()
    {
        var bytes = await WriteAsync(
            (new DataField<long>("age"), new long[] { 30, 40, 50 }),
            (new DataField<string>("plan", true), new string?[] { "basic", "pro", " basic " }),
            (new DataField<bool>("active"), new[] { true, false, true }),
            (new DataField<short>("churned"), new short[] { 1, 0, 1 }));

        var r = Validate(bytes, Churn());
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal([30f, 40f, 50f], r.Data!["age"].FloatValues);
        Assert.Equal(["basic", "pro", "basic"], r.Data["plan"].TextValues.AsEnumerable());
        Assert.Equal([1f, 0f, 1f], r.Data["active"].FloatValues);
        Assert.Equal([1f, 0f, 1f], r.Data["churned"].FloatValues);
    }

    [Fact]
    public async Task Decimal_and_float_numerics_are_accepted()
    {
        var bytes = await WriteAsync(
            (new DecimalDataField("age", 10, 2), new[] { 12.5m, 99.25m }),
            (new DataField<string>("plan", true), new string?[] { "basic", "pro" }),
            (new DataField<int>("active"), new[] { 1, 0 }),
            (new DataField<float>("churned"), new[] { 1f, 0f }));

        var r = Validate(bytes, Churn());
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal([12.5f, 99.25f], r.Data!["age"].FloatValues);
    }

    [Fact]
    public async Task Null_and_NaN_are_missing_while_ranges_and_bad_booleans_are_row_problems()
    {
        var bytes = await WriteAsync(
            (new DataField<double?>("age"), new double?[] { null, double.NaN, 200, 10, 11 }),
            (new DataField<string>("plan", true), new string?[] { "basic", "basic", "basic", null, "gold" }),
            (new DataField<int?>("active"), new int?[] { 1, 1, 1, 2, 1 }),
            (new DataField<bool?>("churned"), new bool?[] { true, false, true, true, null }));

        var r = Validate(bytes, Churn(maxInvalid: 1));
        Assert.Equal(
            ["3:age:out-of-range", "4:plan:null-not-allowed", "4:active:type-error", "5:plan:unknown-category", "5:churned:missing-label"],
            r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.All(r.Report.RowProblems, p => Assert.Equal(0, p.Line));
        Assert.Equal("200", r.Report.RowProblems[0].Value);
        Assert.Equal("Out of range: expected a number within [0, 120].", r.Report.RowProblems[0].Message);
        Assert.Equal("Expected true or false (also 1/0, yes/no, any case).", r.Report.RowProblems[2].Message);

        // pandas writes missing floats as NaN: a nullable column takes it as missing, like a null.
        Assert.Equal([float.NaN, float.NaN], r.Data!["age"].FloatValues);
    }

    [Fact]
    public async Task Wrong_types_missing_and_extra_columns_are_schema_problems()
    {
        var bytes = await WriteAsync(
            (new DataField<string>("age", true), new string?[] { "30" }),
            (new DataField<int>("plan"), new[] { 1 }),
            (new DataField<string>("active", true), new string?[] { "true" }),
            (new DataField<int>("other"), new[] { 1 }));

        var r = Validate(bytes, Churn());
        Assert.False(r.Accepted);
        Assert.Null(r.Data);
        Assert.Equal(
            [ContractRules.SchemaMismatch, ContractRules.SchemaMismatch, ContractRules.SchemaMismatch, ContractRules.MissingColumn, ContractRules.ExtraColumn],
            r.Report.FileProblems.Select(p => p.Rule));
        Assert.Contains("'age'", r.Report.FileProblems[0].Message);
        Assert.Contains("'churned'", r.Report.FileProblems[3].Message);
    }

    [Fact]
    public async Task Truncated_parquet_is_corrupt_not_an_exception()
    {
        var bytes = await WriteAsync(
            (new DataField<int>("age"), new[] { 1, 2 }),
            (new DataField<string>("plan", true), new string?[] { "basic", "pro" }),
            (new DataField<bool>("active"), new[] { true, false }),
            (new DataField<bool>("churned"), new[] { true, false }));

        foreach (var length in new[] { 4, 10, bytes.Length / 2, bytes.Length - 1 })
        {
            var r = Validate(bytes[..length], Churn());
            Assert.False(r.Accepted);
            Assert.Equal(ContractRules.CorruptParquet, Assert.Single(r.Report.FileProblems).Rule);
        }
    }

    [Fact]
    public async Task Corrupt_metadata_is_corrupt_not_an_exception()
    {
        var bytes = await WriteAsync(
            (new DataField<int>("age"), new[] { 1, 2 }),
            (new DataField<string>("plan", true), new string?[] { "basic", "pro" }),
            (new DataField<bool>("active"), new[] { true, false }),
            (new DataField<bool>("churned"), new[] { true, false }));

        // Scribble over everything between the magic and the footer length.
        var damaged = bytes.ToArray();
        for (var i = 4; i < damaged.Length - 8; i++) damaged[i] = 0xAB;
        var r = Validate(damaged, Churn());
        Assert.Equal(ContractRules.CorruptParquet, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public async Task Non_seekable_parquet_is_buffered_and_read()
    {
        var bytes = await WriteAsync(
            (new DataField<int>("age"), new[] { 1, 2 }),
            (new DataField<string>("plan", true), new string?[] { "pro", "basic" }),
            (new DataField<bool>("active"), new[] { true, false }),
            (new DataField<bool>("churned"), new[] { false, true }));

        var r = DatasetContract.Validate(new NonSeekableStream(bytes), "x.parquet", Churn(), CancellationToken.None);
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(["pro", "basic"], r.Data!["plan"].TextValues.AsEnumerable());
    }

    [Fact]
    public async Task Integer_multiclass_labels_become_text()
    {
        var spec = Churn() with { Task = ModelTask.Multiclass, Label = "grade", Features = [new FeatureSpec("age", FeatureType.Numeric)] };
        var bytes = await WriteAsync((new DataField<int>("age"), new[] { 1, 2 }), (new DataField<int>("grade"), new[] { 3, 10 }));
        var r = Validate(bytes, spec);
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(["3", "10"], r.Data!["grade"].TextValues.AsEnumerable());
    }
}
