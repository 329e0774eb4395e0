using System.Text;
using Parquet;
using Parquet.Schema;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Issue #11 item 1: each cap of <see cref="DatasetLimits"/> quarantines a file with its own rule and reason.</summary>
public sealed class DatasetLimitsTests
{
    private static ContractResult Validate(byte[] bytes, DatasetLimits limits, ModelSpec? spec = null) =>
        DatasetContract.Validate(new MemoryStream(bytes), "upload.csv", spec ?? Churn(), limits, snapshot: null, CancellationToken.None);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_record_longer_than_the_cap_quarantines_the_file_with_its_line()
    {
        var csv = Utf8("age,plan,active,churned\n30,pro,true,false\n30,pro" + new string('o', 5_000) + ",true,false\n");

        var r = Validate(csv, new DatasetLimits { MaxRecordChars = 1_000 });

        Assert.False(r.Accepted);
        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.RecordTooLong, problem.Rule);
        Assert.Contains("line 3", problem.Message, StringComparison.Ordinal);
        Assert.Contains("1000 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unterminated_quote_is_named_when_it_runs_past_the_record_cap()
    {
        var csv = Utf8("age,plan,active,churned\n30,\"pro,true,false\n" + string.Concat(Enumerable.Repeat("30,pro,true,false\n", 200)));

        var r = Validate(csv, new DatasetLimits { MaxRecordChars = 1_000 });

        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.RecordTooLong, problem.Rule);
        Assert.Contains("never closes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_with_more_columns_than_the_cap_quarantines_the_file()
    {
        var csv = Utf8("age,plan,active,churned," + string.Join(",", Enumerable.Range(0, 50).Select(i => $"x{i}")) + "\n");

        var r = Validate(csv, new DatasetLimits { MaxColumns = 20 }, Churn() with { AllowExtraColumns = true });

        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooManyColumns, problem.Rule);
        Assert.Contains("more than 20 fields", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_problems_past_the_listing_cap_are_counted_not_listed()
    {
        var csv = Utf8("age,plan,active,churned\n" + string.Concat(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "999,pro,true,false\n" : "30,pro,true,false\n")));

        var r = Validate(csv, new DatasetLimits { MaxListedRowProblems = 5 });

        Assert.Equal(5, r.Report.RowProblems.Count);
        Assert.True(r.Report.RowProblemsTruncated);
        Assert.Equal(20, r.Report.ProblemCountsByRule[ContractRules.OutOfRange]);
        Assert.Equal(20, r.Report.InvalidRows);
    }

    [Fact]
    public async Task A_parquet_footer_claiming_more_rows_than_its_size_can_hold_is_quarantined_before_any_allocation()
    {
        var honest = await WriteAsync(rows: 100);
        var lying = ClaimRows(honest, rows: 100, claimed: 500_000_000);

        var r = Validate(lying, DatasetLimits.Default);

        Assert.False(r.Accepted);
        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.ParquetRowCount, problem.Rule);
        Assert.Contains("500000000 rows", problem.Message, StringComparison.Ordinal);
        Assert.True(Validate(honest, DatasetLimits.Default).Accepted);
    }

    [Fact]
    public async Task A_parquet_row_group_over_the_cap_is_quarantined_with_the_advice_to_write_smaller_groups()
    {
        var r = Validate(await WriteAsync(rows: 100), new DatasetLimits { MaxParquetRowGroupRows = 50 });

        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.ParquetRowCount, problem.Rule);
        Assert.Contains("row_group_size", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parquet_schema_wider_than_the_column_cap_is_quarantined()
    {
        var r = Validate(await WriteAsync(rows: 10), new DatasetLimits { MaxColumns = 3 });

        Assert.Equal(ContractRules.TooManyColumns, Assert.Single(r.Report.FileProblems).Rule);
    }

    /// <summary>The churn spec's four columns, <paramref name="rows"/> rows, one row group.</summary>
    private static async Task<byte[]> WriteAsync(int rows)
    {
        var fields = new DataField[] { new DataField<double>("age"), new DataField<string>("plan"), new DataField<bool>("active"), new DataField<bool>("churned") };
        var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), ms))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(fields[0], Enumerable.Range(0, rows).Select(i => 20.0 + (i % 50)).ToArray());
            await group.WriteAsync(fields[1], Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? "pro" : "basic").ToArray(), null);
            await group.WriteAsync<bool>(fields[2], Enumerable.Range(0, rows).Select(i => i % 4 != 0).ToArray());
            await group.WriteAsync<bool>(fields[3], Enumerable.Range(0, rows).Select(i => i % 3 == 0).ToArray());
        }

        return ms.ToArray();
    }

    /// <summary>
    /// Rewrites the footer's row counts (FileMetaData.num_rows and RowGroup.num_rows, Thrift compact i64 fields with id
    /// delta 1: header byte 0x16, then the zigzag varint) from <paramref name="rows"/> to <paramref name="claimed"/>, and
    /// the footer length before the closing PAR1. Parquet format: https://parquet.apache.org/docs/file-format/metadata/
    /// </summary>
    private static byte[] ClaimRows(byte[] file, long rows, long claimed)
    {
        var footerLength = BitConverter.ToInt32(file, file.Length - 8);
        var footerStart = file.Length - 8 - footerLength;
        var footer = file.AsSpan(footerStart, footerLength).ToArray();
        byte[] from = [0x16, .. ZigZagVarint(rows)], to = [0x16, .. ZigZagVarint(claimed)];
        var patched = new List<byte>();
        var replaced = 0;
        for (var i = 0; i < footer.Length;)
        {
            if (footer.AsSpan(i).StartsWith(from))
            {
                patched.AddRange(to);
                i += from.Length;
                replaced++;
            }
            else
            {
                patched.Add(footer[i++]);
            }
        }

        Assert.True(replaced >= 2); // the file's and the row group's count (and each column chunk's num_values, field 5 after 4)
        return [.. file.AsSpan(0, footerStart), .. patched, .. BitConverter.GetBytes(patched.Count), .. "PAR1"u8];
    }

    private static byte[] ZigZagVarint(long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            bytes.Add(v == 0 ? b : (byte)(b | 0x80));
        }
        while (v != 0);
        return [.. bytes];
    }
}
