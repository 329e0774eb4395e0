using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;

namespace Serverless.App.Runs;

public sealed record RunStarted(string RunId, string StatusUrl);

public sealed record StartRunRequest(string? DatasetVersion);

/// <summary><c>POST …/runs</c>: a run on a dataset version already snapshotted, or on a file posted as the body.</summary>
public sealed class RunRequests(PlatformStorage storage, IRunLauncher runs, TimeProvider time)
{
    /// <summary>Block size of a streamed upload: what is buffered per block, two blocks in flight at most.</summary>
    public const int UploadBlockBytes = 8 * 1024 * 1024;

    public const string EmptyBody = "Send a CSV or Parquet file as the body, or JSON {\"datasetVersion\": \"<sha256>\"}.";

    /// <summary>The body is JSON <c>{"datasetVersion": "&lt;sha256&gt;"}</c>.</summary>
    public async Task<Outcome<RunStarted>> StartOnDatasetVersionAsync(string model, byte[] json, CancellationToken ct)
    {
        if (await ArchivedAsync(model, ct).ConfigureAwait(false) is { } archived) return archived;
        StartRunRequest? start;
        try
        {
            start = JsonSerializer.Deserialize<StartRunRequest>(json, PlatformJson.Options);
        }
        catch (JsonException e)
        {
            return new Outcome<RunStarted>.Invalid("Malformed JSON: " + e.Message);
        }

        if (start?.DatasetVersion is not { Length: 64 } sha || !sha.All(Uri.IsHexDigit))
        {
            return new Outcome<RunStarted>.Invalid("Field 'datasetVersion' must be the 64-hex SHA-256 of a dataset version.");
        }

        if (!await storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha)).ExistsAsync(ct).ConfigureAwait(false))
        {
            return new Outcome<RunStarted>.NotFound($"Model '{model}' has no dataset version {sha}.");
        }

        return Started(await runs.StartOnDatasetVersionAsync(model, sha, $"dataset version {sha}", ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The body is a CSV or Parquet file. An upload is an explicit request to train: it gets a run even if the same
    /// bytes were dropped before. It is stored under a generated name (<see cref="UploadNames"/>). The body streams to
    /// the blob in blocks while it is hashed, so no upload is held in memory; one past <paramref name="maxBytes"/>
    /// (however its length was declared) is refused and nothing is stored.
    /// </summary>
    public async Task<Outcome<RunStarted>> StartOnUploadAsync(string model, Stream body, string? fileName, long maxBytes, CancellationToken ct)
    {
        if (await ArchivedAsync(model, ct).ConfigureAwait(false) is { } archived) return archived;
        var name = UploadNames.Generate(time.GetUtcNow());
        var clientName = fileName is { Length: > 0 } ? fileName : null;
        var blobName = BlobLayout.UploadBlob(model, name);
        var blob = storage.Datasets.GetBlobClient(blobName);
        using var upload = new UploadBody(body, maxBytes);
        try
        {
            // Blocks of UploadBlockBytes, committed only once the whole body has arrived within the cap.
            await blob.UploadAsync(upload, new BlobUploadOptions
            {
                Metadata = ClientFileName.Metadata(clientName),
                TransferOptions = new StorageTransferOptions { InitialTransferSize = UploadBlockBytes, MaximumTransferSize = UploadBlockBytes, MaximumConcurrency = 2 },
            }, ct).ConfigureAwait(false);
        }
        catch (UploadTooLargeException e)
        {
            return new Outcome<RunStarted>.TooLarge(TooLargeDetail(e.MaxBytes));
        }

        if (upload.BytesRead == 0)
        {
            // A chunked body that turned out empty (an empty one with a length never gets here).
            await blob.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            return new Outcome<RunStarted>.Invalid(EmptyBody);
        }

        return Started(await runs.StartOnUploadAsync(model, blobName, name, clientName, upload.Sha256Hex(), ct).ConfigureAwait(false));
    }

    /// <summary>The 413 detail for an upload past <paramref name="maxBytes"/>.</summary>
    public static string TooLargeDetail(long maxBytes) =>
        $"Uploads are limited to {maxBytes} bytes (setting {ScoringOptions.Section}:{nameof(ScoringOptions.MaxUploadBytes)}); drop larger files into blob storage.";

    private static RunStarted Started(string runId) => new(runId, $"/{ApiRoutes.Prefix}/runs/{runId}");

    /// <summary>An archived model trains no more (<see cref="ModelArchive"/>).</summary>
    private async Task<Outcome<RunStarted>?> ArchivedAsync(string model, CancellationToken ct) =>
        await ModelArchive.TryReadAsync(storage.Registry, model, ct).ConfigureAwait(false) is { } archive
            ? new Outcome<RunStarted>.Conflict("Model archived", new ModelArchivedException(archive).Message)
            : null;
}
