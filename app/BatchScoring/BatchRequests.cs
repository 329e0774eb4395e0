using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.Core;
using Serverless.Core.BatchScoring;
using Serverless.Core.Storage;

namespace Serverless.App.BatchScoring;

public sealed record StartBatchRequest(string? Input, int? Version, string? IdColumn);

public sealed record BatchStarted(string BatchId, string StatusUrl, string Input, string Results);

/// <summary><c>POST …/models/{m}/batch</c>, <c>GET …/batches/{id}</c>, and the drops the watcher finds under <c>scoring/{model}/incoming/</c>.</summary>
public sealed class BatchRequests(IBatchScoringLauncher launcher, PlatformStorage storage, TimeProvider time)
{
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>Body <c>{"input": "{model}/….csv", "version": 3, "idColumn": "customer_id"}</c>; only <c>input</c> is required.</summary>
    public async Task<Outcome<BatchStarted>> StartAsync(string model, byte[] json, CancellationToken ct)
    {
        StartBatchRequest? start;
        try
        {
            start = JsonSerializer.Deserialize<StartBatchRequest>(json, PlatformJson.Options);
        }
        catch (JsonException e)
        {
            return new Outcome<BatchStarted>.Invalid("Malformed JSON: " + e.Message);
        }

        if (start?.Input is not { Length: > 0 } input || !input.StartsWith(model + "/", StringComparison.Ordinal) || BlobLayout.SafeName(input) != input)
        {
            return new Outcome<BatchStarted>.Invalid($"Field 'input' must name a blob in the '{BatchLayout.Container}' container under '{model}/', e.g. '{model}/incoming/customers.csv'.");
        }

        if (start.Version is <= 0)
        {
            return new Outcome<BatchStarted>.Invalid("Field 'version' must be a positive version number (omit it to score with the champion).");
        }

        if (!await storage.Blobs.GetBlobContainerClient(BatchLayout.Container).GetBlobClient(input).ExistsAsync(ct).ConfigureAwait(false))
        {
            return new Outcome<BatchStarted>.NotFound($"'{BatchLayout.Container}/{input}' does not exist.");
        }

        var now = time.GetUtcNow();
        var request = new BatchScoringRequest($"batch-{model}-{now:yyyyMMddHHmmssfff}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}", model, input, start.Version, start.IdColumn, now);
        return await StartAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>A file dropped under <c>{model}/incoming/</c>: one batch per blob name and ETag, however often it is seen.</summary>
    public async Task<Outcome<BatchStarted>> StartDropAsync(string blobName, string etag, CancellationToken ct)
    {
        if (!BatchLayout.TryParseIncoming(blobName, out var model, out _))
        {
            return new Outcome<BatchStarted>.Invalid($"'{blobName}' is not under {{model}}/incoming/.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName + "\n" + etag)))[..16];
        return await StartAsync(new BatchScoringRequest($"batch-{model}-{hash}", model, blobName, null, null, time.GetUtcNow()), ct).ConfigureAwait(false);
    }

    public async Task<Outcome<BatchView>> GetAsync(string batchId, CancellationToken ct) =>
        await launcher.GetAsync(batchId, ct).ConfigureAwait(false) is { } view
            ? view
            : new Outcome<BatchView>.NotFound($"Batch '{batchId}' does not exist.");

    private async Task<Outcome<BatchStarted>> StartAsync(BatchScoringRequest request, CancellationToken ct)
    {
        if (!await launcher.TryStartAsync(request, ct).ConfigureAwait(false))
        {
            return new Outcome<BatchStarted>.Conflict("Batch exists", $"Batch '{request.BatchId}' was started before.");
        }

        return new BatchStarted(
            request.BatchId,
            string.Create(CultureInfo.InvariantCulture, $"/{ApiRoutes.Prefix}/batches/{request.BatchId}"),
            request.InputBlob,
            $"{BatchLayout.Container}/{BatchLayout.Results(request.Model, BatchLayout.ResultName(request.Model, request.InputBlob))}");
    }
}
