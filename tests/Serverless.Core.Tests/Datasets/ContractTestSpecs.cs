using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Shared specs and helpers for the data-contract tests.</summary>
internal static class ContractTestSpecs
{
    /// <summary>age: numeric 0–120 nullable; plan: basic/pro (reject unknown); active: boolean, required; label churned (binary).</summary>
    public static ModelSpec Churn(double maxInvalid = 0.01) => new()
    {
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
