using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Serverless.Core.Storage;

namespace Serverless.Core.Specs;

/// <summary>
/// <c>models/{model}/model.json</c>: the only place a model's spec is read or written. A stored spec was validated when
/// it was PUT, but the blob can also be written directly or by an older version, so it is validated again on every
/// read: an invalid one becomes a clear problem list for the caller to report, never a deserializer exception (a 500)
/// deep inside feedback or monitoring.
/// </summary>
public sealed class ModelSpecStore(PlatformStorage storage)
{
    /// <summary>Spec identity when the model has no spec (a drop's run quarantines with <c>missing-spec</c>).</summary>
    public const string NoSpec = "none";

    /// <summary>The hash of a valid spec, as model cards and dataset manifests record it.</summary>
    public static string Hash(ModelSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec, PlatformJson.Options)));

    /// <summary>The spec's parse result, or null when the model has no spec.</summary>
    public async Task<ModelSpecParseResult?> TryLoadAsync(string model, CancellationToken ct) =>
        await DownloadAsync(model, ct).ConfigureAwait(false) is { } content ? ModelSpecValidator.Parse(content.ToString(), stored: true) : null;

    /// <summary>The valid spec, null when there is none, or <see cref="InvalidModelSpecException"/> listing its problems.</summary>
    public async Task<ModelSpec?> LoadValidAsync(string model, CancellationToken ct) =>
        await TryLoadAsync(model, ct).ConfigureAwait(false) switch
        {
            null => null,
            { IsValid: true, Spec: { } spec } => spec,
            { } invalid => throw new InvalidModelSpecException(model, invalid.Problems),
        };

    /// <summary>
    /// The spec as a drop's run would use it, and its identity: the hash of the valid spec (as registered on model
    /// cards), of the raw text of an invalid one, or <see cref="NoSpec"/>.
    /// </summary>
    public async Task<(ModelSpecParseResult? Parsed, string Identity)> LoadWithIdentityAsync(string model, CancellationToken ct)
    {
        if (await DownloadAsync(model, ct).ConfigureAwait(false) is not { } content)
        {
            return (null, NoSpec);
        }

        var parsed = ModelSpecValidator.Parse(content.ToString(), stored: true);
        return (parsed, parsed is { IsValid: true, Spec: { } spec }
            ? Hash(spec)
            : "invalid-" + Convert.ToHexStringLower(SHA256.HashData(content.ToMemory().Span)));
    }

    public async Task<bool> ExistsAsync(string model, CancellationToken ct) =>
        await storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).ExistsAsync(ct).ConfigureAwait(false);

    /// <summary>Stores a spec that <see cref="ModelSpecValidator"/> accepted; returns its <see cref="Hash"/>.</summary>
    public async Task<string> PutAsync(string model, ModelSpec spec, CancellationToken ct)
    {
        await BlobJson.UploadAsync(storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)), spec, ct).ConfigureAwait(false);
        return Hash(spec);
    }

    private async Task<BinaryData?> DownloadAsync(string model, CancellationToken ct)
    {
        try
        {
            return (await storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
