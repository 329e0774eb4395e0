using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Single-class labels and too little data are quarantined at ingest, with the numbers in the reason.</summary>
public sealed class TrainingDataContractTests
{
    private static ModelSpec Spec(ModelTask task, MinimumRowsSpec? minimum = null) => new()
    {
        Task = task,
        Label = "y",
        Features = [new FeatureSpec("x", FeatureType.Numeric)],
        MinimumRows = minimum ?? new MinimumRowsSpec(),
    };

    private static string Csv(int rows, Func<int, string> label)
    {
        var sb = new StringBuilder("x,y\n");
        for (var i = 0; i < rows; i++) sb.Append(i).Append(',').Append(label(i)).Append('\n');
        return sb.ToString();
    }

    [Fact]
    public void A_binary_label_with_one_value_is_single_class_naming_it()
    {
        var r = Validate(Csv(500, _ => "0"), Spec(ModelTask.Binary));

        Assert.False(r.Accepted);
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.SingleClass, p.Rule);
        Assert.Contains("'false'", p.Message, StringComparison.Ordinal);
        Assert.Contains("500", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_binary_label_with_one_value_is_single_class_naming_it()
    {
        var r = Validate(Csv(500, _ => "approved"), Spec(ModelTask.Binary) with { PositiveClass = "approved" });
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.SingleClass, p.Rule);
        Assert.Contains("'approved'", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multiclass_label_with_one_value_is_single_class()
    {
        var r = Validate(Csv(500, _ => "gold"), Spec(ModelTask.Multiclass));
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.SingleClass, p.Rule);
        Assert.Contains("'gold'", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_dropped_as_invalid_do_not_count_as_a_second_class()
    {
        // The only '1' row is invalid (x is not a number), so the rows that would be trained on hold one class.
        var csv = Csv(300, _ => "0") + "abc,1\n";
        var r = Validate(csv, Spec(ModelTask.Binary));
        Assert.Equal(ContractRules.SingleClass, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Ten_rows_are_too_little_data_with_have_and_need_in_the_reason()
    {
        var r = Validate(Csv(10, i => (i % 2).ToString()), Spec(ModelTask.Binary));

        Assert.False(r.Accepted);
        Assert.Null(r.Data);
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooLittleData, p.Rule);
        Assert.Contains("10 valid rows (need 100)", p.Message, StringComparison.Ordinal);
        Assert.Contains("2 holdout rows (need 20)", p.Message, StringComparison.Ordinal);
        Assert.Contains("class 'false': 5 rows (need 10)", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rare_class_is_too_little_data_per_class_and_in_the_holdout()
    {
        // 1,000 rows, 4 of class 1: total and holdout sizes are fine, the rare class is not.
        var r = Validate(Csv(1000, i => i % 250 == 0 ? "1" : "0"), Spec(ModelTask.Binary));

        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooLittleData, p.Rule);
        Assert.Contains("class 'true': 4 rows (need 10)", p.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("class 'false'", p.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("valid rows", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holdout_counts_are_those_of_the_trainers_seeded_split()
    {
        // Classes alternate; the per-class holdout counts must be the ones HoldoutSplit gives for this seed.
        var spec = Spec(ModelTask.Binary, new MinimumRowsSpec(Total: 0, PerClass: 0, Holdout: 0, HoldoutPerClass: 1000)) with { Holdout = new HoldoutSpec(0.3, Seed: 7) };
        var r = Validate(Csv(200, i => (i % 2).ToString()), spec);

        var split = HoldoutSplit.Create(200, spec.Holdout);
        var ones = split.HoldoutRows.Count(i => i % 2 == 1);
        var zeros = split.HoldoutRows.Length - ones;
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Contains($"class 'false': 100 rows (need 0), {zeros} in the holdout (need 1000)", p.Message, StringComparison.Ordinal);
        Assert.Contains($"class 'true': 100 rows (need 0), {ones} in the holdout (need 1000)", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Regression_checks_total_and_holdout_only()
    {
        var r = Validate(Csv(50, i => (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture)), Spec(ModelTask.Regression));
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooLittleData, p.Rule);
        Assert.Contains("50 valid rows (need 100)", p.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("class", p.Message, StringComparison.Ordinal);

        Assert.True(Validate(Csv(100, i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Spec(ModelTask.Regression)).Accepted);
    }

    [Fact]
    public void Enough_data_of_two_classes_is_accepted_at_the_defaults()
    {
        var r = Validate(Csv(100, i => (i % 2).ToString()), Spec(ModelTask.Binary));
        Assert.True(r.Accepted, Rules(r));
    }

    [Fact]
    public void A_declared_class_without_rows_is_too_little_data()
    {
        var spec = Spec(ModelTask.Multiclass) with { Classes = ["a", "b", "c"] };
        var r = Validate(Csv(300, i => i % 2 == 0 ? "a" : "b"), spec);
        var p = Assert.Single(r.Report.FileProblems);
        Assert.Equal(ContractRules.TooLittleData, p.Rule);
        Assert.Contains("class 'c': 0 rows (need 10)", p.Message, StringComparison.Ordinal);
    }
}
