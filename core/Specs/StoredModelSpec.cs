using Azure;
using Serverless.Core.Storage;

namespace Serverless.Core.Specs;

/// <summary>
/// Reads <c>models/{model}/model.json</c> back. A stored spec was validated when it was PUT, but the blob can also be
/// written directly or by an older version, so it is validated again: an invalid one becomes a clear problem list
/// for the caller to report, never a deserializer exception (a 500) deep inside feedback or monitoring.
/// </summary>
public static class StoredModelSpec
{
    /// <summary>The spec's parse result, or null when the model has no spec.</summary>
    public static async Task<ModelSpecParseResult?> TryLoadAsync(PlatformStorage storage, string model, CancellationToken ct)
    {
        try
        {
            var content = await storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).DownloadContentAsync(ct).ConfigureAwait(false);
            return ModelSpecValidator.Parse(content.Value.Content.ToString(), stored: true);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The valid spec, null when there is none, or <see cref="InvalidModelSpecException"/> listing its problems.</summary>
    public static async Task<ModelSpec?> LoadValidAsync(PlatformStorage storage, string model, CancellationToken ct) =>
        await TryLoadAsync(storage, model, ct).ConfigureAwait(false) switch
        {
            null => null,
            { IsValid: true, Spec: { } spec } => spec,
            { } invalid => throw new InvalidModelSpecException(model, invalid.Problems),
        };
}
