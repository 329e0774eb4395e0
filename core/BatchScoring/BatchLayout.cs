using Serverless.Core.Storage;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// The <c>scoring</c> container: files to score under <c>{model}/incoming/</c> (or anywhere under <c>{model}/</c> for
/// <c>POST …/batch</c>), results beside their errors and summary under <c>{model}/results/</c>, and each batch's
/// chunks and partial results under <c>{model}/batches/{id}/</c> while it runs.
/// </summary>
public static class BatchLayout
{
    public const string Container = BlobLayout.ScoringContainer;

    public static string Results(string model, string name) => $"{model}/results/{name}";

    public static string Errors(string model, string name) => $"{Results(model, name)}.errors.csv";

    public static string Summary(string model, string name) => $"{Results(model, name)}.summary.json";

    /// <summary>Where a scored drop goes, so the watcher does not pick it up again.</summary>
    public static string Scored(string model, string name) => $"{model}/scored/{name}";

    public static string WorkPrefix(string model, string batchId) => $"{model}/batches/{batchId}/";

    public static string Chunk(string model, string batchId, int index) => $"{WorkPrefix(model, batchId)}chunks/{index:D6}.csv";

    public static string Part(string model, string batchId, int index) => $"{WorkPrefix(model, batchId)}parts/{index:D6}.csv";

    public static string PartErrors(string model, string batchId, int index) => $"{WorkPrefix(model, batchId)}errors/{index:D6}.csv";

    /// <summary>Rows the plan step could not even split (malformed CSV records).</summary>
    public static string PlanErrors(string model, string batchId) => $"{WorkPrefix(model, batchId)}errors/plan.csv";

    /// <summary>A Parquet file by its name: scored from Parquet, its results written as Parquet under the same name.</summary>
    public static bool IsParquet(string blobName) => blobName.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>(model, file name) for <c>{model}/incoming/{name}</c>, the same shape as dataset drops.</summary>
    public static bool TryParseIncoming(string blobName, out string model, out string fileName) =>
        BlobLayout.TryParseIncoming(blobName, out model, out fileName);

    /// <summary>The file name results are written under: the input's name below <c>{model}/</c> (incoming/ dropped).</summary>
    public static string ResultName(string model, string inputBlob)
    {
        var name = TryParseIncoming(inputBlob, out _, out var file) ? file : inputBlob[(model.Length + 1)..];
        return BlobLayout.SafeName(name);
    }
}
