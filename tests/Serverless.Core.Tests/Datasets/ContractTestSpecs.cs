using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Shared specs and helpers for the data-contract tests.</summary>
internal static class ContractTestSpecs
{
    /// <summary>
    /// No minimum amount of data: these tests are about single values and rows, in files of a few lines
    /// (the minimums have tests of their own, see TrainingDataTests).
    /// </summary>
    public static readonly MinimumRowsSpec NoMinimum = new(Total: 0, PerClass: 0, Holdout: 0, HoldoutPerClass: 0);

    /// <summary>age: numeric 0–120 nullable; plan: basic/pro (reject unknown); active: boolean, required; label churned (binary). No minimum rows.</summary>
    public static ModelSpec Churn(double maxInvalid = 0.01) => new()
    {
        MinimumRows = NoMinimum,
        Task = ModelTask.Binary,
        Label = "churned",
        Features =
        [
            new FeatureSpec("age", FeatureType.Numeric, Nullable: true, Min: 0, Max: 120),
            new FeatureSpec("plan", FeatureType.Categorical, Categories: ["basic", "pro"]),
            new FeatureSpec("active", FeatureType.Boolean),
        ],
        MaxInvalidRowFraction = maxInvalid,
    };

    public static ContractResult Validate(string csv, ModelSpec spec) => Validate(Encoding.UTF8.GetBytes(csv), spec);

    public static ContractResult Validate(byte[] bytes, ModelSpec spec) =>
        DatasetContract.Validate(new MemoryStream(bytes), "upload.csv", spec, CancellationToken.None);

    public static string Rules(ContractResult r) =>
        string.Join(" ", r.Report.FileProblems.Select(p => p.Rule).Concat(r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}")));
}
