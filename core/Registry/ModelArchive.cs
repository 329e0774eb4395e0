using Azure.Storage.Blobs;
using Serverless.Core.Storage;

namespace Serverless.Core.Registry;

/// <summary>
/// <c>registry/{model}/archived.json</c>: the model is read-only. Specs, versions and aliases stay readable and the
/// champion keeps serving (consumers are not cut off by an archive); spec uploads, drops, registrations, alias moves
/// and deletions are refused with <see cref="ModelArchivedException"/>.
/// </summary>
public sealed record ModelArchive(string Model, DateTimeOffset At, string Reason, string? By)
{
    public static string BlobName(string model) => $"{model}/archived.json";

    public static Task<ModelArchive?> TryReadAsync(BlobContainerClient registry, string model, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<ModelArchive>(registry.GetBlobClient(BlobName(model)), ct);

    /// <exception cref="ModelArchivedException">The model is archived.</exception>
    public static async Task EnsureWritableAsync(BlobContainerClient registry, string model, CancellationToken ct)
    {
        if (await TryReadAsync(registry, model, ct).ConfigureAwait(false) is { } archive)
        {
            throw new ModelArchivedException(archive);
        }
    }
}

/// <summary>A write to an archived model.</summary>
public sealed class ModelArchivedException(ModelArchive archive)
    : Exception($"Model '{archive.Model}' was archived at {archive.At:O} ({archive.Reason}) and is read-only: its specs, versions and aliases can be read and its champion still scores, but nothing can be changed.")
{
    public ModelArchive Archive { get; } = archive;
}
