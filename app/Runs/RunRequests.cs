using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Storage;

namespace Serverless.App.Runs;

public sealed record RunStarted(string RunId, string StatusUrl);

public sealed record StartRunRequest(string? DatasetVersion);

/// <summary><c>POST …/runs</c>: a run on a dataset version already snapshotted, or on a file posted as the body.</summary>
public sealed class RunRequests(PlatformStorage storage, IRunLauncher runs, TimeProvider time)
{
    /// <summary>The body is JSON <c>{"datasetVersion": "&lt;sha256&gt;"}</c>.</summary>
    public async Task<Outcome<RunStarted>> StartOnDatasetVersionAsync(string model, byte[] json, CancellationToken ct)
    {
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
    /// bytes were dropped before. It is stored under a generated name (<see cref="UploadNames"/>).
    /// </summary>
    public async Task<Outcome<RunStarted>> StartOnUploadAsync(string model, byte[] bytes, string? fileName, CancellationToken ct)
    {
        if (bytes.Length == 0)
        {
            return new Outcome<RunStarted>.Invalid("Send a CSV or Parquet file as the body, or JSON {\"datasetVersion\": \"<sha256>\"}.");
        }

        var name = UploadNames.Generate(time.GetUtcNow());
        var clientName = fileName is { Length: > 0 } ? fileName : null;
        var blobName = BlobLayout.UploadBlob(model, name);
        await storage.Datasets.GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), new BlobUploadOptions { Metadata = ClientFileName.Metadata(clientName) }, ct).ConfigureAwait(false);
        return Started(await runs.StartOnUploadAsync(model, blobName, name, clientName, ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false)), ct).ConfigureAwait(false));
    }

    private static RunStarted Started(string runId) => new(runId, $"/{ApiRoutes.Prefix}/runs/{runId}");
}
