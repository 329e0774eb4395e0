using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Bench;

/// <summary>The committed churn sample (50k rows) and its spec (LightGBM, 200 trees), parsed once for all areas.</summary>
internal sealed record ChurnData(string Root, string SpecJson, ModelSpec Spec, byte[] Csv, TabularDataset Data)
{
    public static ChurnData Load(string root)
    {
        var specJson = File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json"), Encoding.UTF8);
        var spec = ModelSpecValidator.Parse(specJson).Spec ?? throw new InvalidOperationException("samples/churn/model.json does not parse.");
        var csv = File.ReadAllBytes(Path.Combine(root, "samples", "churn", "churn.csv"));
        var result = DatasetContract.Validate(new MemoryStream(csv), "churn.csv", spec, CancellationToken.None);
        return new ChurnData(root, specJson, spec, csv, result.Data ?? throw new InvalidOperationException("The churn sample was quarantined."));
    }
}
