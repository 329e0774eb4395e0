using System.Text;
using Parquet;
using Parquet.Schema;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Binary labels stated as class names (spec positiveClass), and multiclass labels of any strings or integers.</summary>
public sealed class BinaryLabelContractTests
{
    private static ModelSpec Loans(string? positiveClass, double maxInvalid = 0.01) => new()
    {
        Task = ModelTask.Binary,
        Label = "decision",
        PositiveClass = positiveClass,
        Features = [new FeatureSpec("income", FeatureType.Numeric)],
        MaxInvalidRowFraction = maxInvalid,
        MinimumRows = NoMinimum,
    };

    private static string Csv(params string[] labels) =>
        "income,decision\n" + string.Concat(labels.Select((l, i) => $"{i},{l}\n"));

    [Fact]
    public void Class_names_with_positiveClass_become_1_and_0_and_keep_their_names()
    {
        var r = Validate(Csv("approved", " denied ", "approved", "denied"), Loans("approved"));

        Assert.True(r.Accepted, Rules(r));
        var label = r.Data!["decision"];
        Assert.Equal([1f, 0f, 1f, 0f], label.FloatValues);
        Assert.Equal(["denied", "approved"], label.ClassNames!);
    }

    [Theory]
    [InlineData("Y", "Y,N,N,Y", new[] { 1f, 0f, 0f, 1f })]
    [InlineData(">1M", ">1M,<=1M,<=1M", new[] { 1f, 0f, 0f })]
    [InlineData("stayed", "churned,stayed", new[] { 0f, 1f })]
    public void Any_two_names_work_with_the_positive_one_named(string positive, string labels, float[] expected)
    {
        var r = Validate(Csv(labels.Split(',')), Loans(positive));
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(expected, r.Data!["decision"].FloatValues);
    }

    [Fact]
    public void Boolean_like_labels_need_no_positiveClass_and_have_no_class_names()
    {
        var r = Validate(Csv("yes", "NO", "True", "0"), Loans(positiveClass: null));
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal([1f, 0f, 1f, 0f], r.Data!["decision"].FloatValues);
        Assert.Null(r.Data["decision"].ClassNames);
    }

    [Fact]
    public void Without_positiveClass_class_names_quarantine_the_file_saying_so_and_listing_the_values()
    {
        var r = Validate(Csv("approved", "denied", "approved"), Loans(positiveClass: null));

        Assert.False(r.Accepted);
        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.PositiveClassRequired, problem.Rule);
        Assert.Contains("positiveClass", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'approved', 'denied'", problem.Message, StringComparison.Ordinal);

        // Each row says what was expected, too.
        Assert.All(r.Report.RowProblems, p => Assert.Contains("positiveClass", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_list_of_values_seen_is_bounded()
    {
        var labels = Enumerable.Range(0, 50).Select(i => $"v{i}").ToArray();
        var problem = Assert.Single(Validate(Csv(labels), Loans(positiveClass: null)).Report.FileProblems);

        Assert.Contains("'v0'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("and 30 more", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'v49'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_third_value_is_a_row_problem_that_names_both_classes()
    {
        var labels = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "approved" : "denied").Append("pending").ToArray();
        var r = Validate(Csv(labels), Loans("approved", maxInvalid: 0.05));

        Assert.True(r.Accepted, Rules(r));
        var p = Assert.Single(r.Report.RowProblems);
        Assert.Equal((41L, "decision", ContractRules.UnknownClass, "pending"), (p.Row, p.Column, p.Rule, p.Value));
        Assert.Contains("'approved' (positiveClass) or 'denied'", p.Message, StringComparison.Ordinal);
        Assert.Equal(40, r.Data!.RowCount);
    }

    [Fact]
    public void More_than_two_values_in_bulk_quarantine_the_file_with_the_values()
    {
        var r = Validate(Csv("approved", "denied", "pending", "pending", "withdrawn"), Loans("approved"));

        Assert.False(r.Accepted);
        var problem = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooManyClasses, problem.Rule);
        Assert.Contains("'pending', 'withdrawn'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_binary_labels_as_strings_integers_and_booleans()
    {
        var strings = await ParquetAsync(new DataField<string>("decision", nullable: true), new string?[] { "approved", "denied" });
        var s = Validate(strings, Loans("approved"));
        Assert.True(s.Accepted, Rules(s));
        Assert.Equal([1f, 0f], s.Data!["decision"].FloatValues);
        Assert.Equal(["denied", "approved"], s.Data["decision"].ClassNames!);

        var ints = await ParquetAsync(new DataField<int>("decision"), new[] { 2, 1 });
        var i = Validate(ints, Loans("2"));
        Assert.True(i.Accepted, Rules(i));
        Assert.Equal([1f, 0f], i.Data!["decision"].FloatValues);
        Assert.Equal(["1", "2"], i.Data["decision"].ClassNames!);

        var bools = await ParquetAsync(new DataField<bool>("decision"), new[] { true, false });
        var b = Validate(bools, Loans(positiveClass: null));
        Assert.True(b.Accepted, Rules(b));
        Assert.Equal([1f, 0f], b.Data!["decision"].FloatValues);

        var unnamed = Validate(strings, Loans(positiveClass: null));
        Assert.Equal(ContractRules.PositiveClassRequired, Assert.Single(unnamed.Report.FileProblems).Rule);
    }

    [Fact]
    public void Multiclass_labels_may_be_any_strings_or_integers()
    {
        var spec = Loans(null) with { Task = ModelTask.Multiclass, PositiveClass = null };
        var r = Validate(Csv("gold", "3", ">1M", "gold", "3"), spec);
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(["gold", "3", ">1M", "gold", "3"], r.Data!["decision"].TextValues.AsEnumerable());
    }

    [Fact]
    public async Task Class_names_survive_the_snapshot_and_feature_selection()
    {
        var data = Validate(Csv("approved", "denied"), Loans("approved")).Data!;
        using var ms = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, ms, CancellationToken.None);
        ms.Position = 0;
        var back = await DatasetSnapshot.ReadParquetAsync(ms, CancellationToken.None);

        Assert.Equal(["denied", "approved"], back["decision"].ClassNames!);
        Assert.Equal(["denied", "approved"], back.Select([1])["decision"].ClassNames!);
        Assert.Null(back["income"].ClassNames);
    }

    [Fact]
    public void A_model_trained_on_named_classes_predicts_the_names()
    {
        var spec = Training.SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm) with { PositiveClass = "approved", MinimumRows = NoMinimum };
        var synthetic = Training.SyntheticData.Create(ModelTask.Binary, rows: 600);
        var sb = new StringBuilder("x1,x2,flag,color,target\n");
        for (var i = 0; i < synthetic.RowCount; i++)
        {
            string Cell(string c) => synthetic[c].Kind == ColumnKind.Text
                ? synthetic[c].TextValues[i] ?? ""
                : float.IsNaN(synthetic[c].FloatValues[i]) ? "" : synthetic[c].FloatValues[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            sb.Append($"{Cell("x1")},{Cell("x2")},{Cell("flag")},{Cell("color")},{(synthetic["target"].FloatValues[i] > 0.5f ? "approved" : "denied")}\n");
        }

        var ingested = Validate(sb.ToString(), spec);
        Assert.True(ingested.Accepted, Rules(ingested));

        var trained = new MlNetTrainer().Train(spec, ingested.Data!);
        Assert.Equal(["denied", "approved"], trained.ClassLabels!);

        // The class names travel inside the ONNX file, so a scorer without the card still answers with them.
        using var onnx = new OnnxModel(trained.Onnx);
        var outputs = onnx.Predict(trained.Holdout);
        Assert.All(outputs, o => Assert.Contains(o.Label, new[] { "approved", "denied" }));
        Assert.Contains(outputs, o => o.Label == "approved");
        Assert.Contains(outputs, o => o.Label == "denied");
    }

    private static async Task<byte[]> ParquetAsync(DataField label, Array labels)
    {
        var ms = new MemoryStream();
        var income = new DataField<int>("income");
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(income, label), ms))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(income, Enumerable.Range(0, labels.Length).ToArray());
            await (labels switch
            {
                string?[] s => group.WriteAsync(label, s!, null),
                int[] i => group.WriteAsync<int>(label, i),
                bool[] b => group.WriteAsync<bool>(label, b),
                _ => throw new ArgumentException(labels.GetType().Name),
            });
        }

        return ms.ToArray();
    }
}
