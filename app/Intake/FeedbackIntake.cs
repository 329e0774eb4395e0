using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.App.Intake;

/// <summary>
/// Bulk labels dropped at <c>feedback/{model}/incoming/{name}.csv</c> (header <c>predictionId,label[,observedAt]</c>):
/// joined like <c>POST …/feedback</c>, then the file moves to <c>feedback/{model}/processed/</c> with a report
/// naming every rejected row.
/// </summary>
public sealed class FeedbackIntake(PlatformStorage storage, ModelSpecStore specs, FeedbackService feedback, TimeProvider time, ILogger<FeedbackIntake> logger)
{
    public async Task<FeedbackResult?> HandleAsync(string blobName, CancellationToken ct)
    {
        if (!BlobLayout.TryParseIncoming(blobName, out var model, out var fileName))
        {
            return null;
        }

        var blob = storage.Feedback.GetBlobClient(blobName);
        byte[] bytes;
        ETag version;
        try
        {
            var download = await blob.DownloadContentAsync(ct).ConfigureAwait(false);
            (bytes, version) = (download.Value.Content.ToArray(), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        var stamp = $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{fileName.Replace('/', '_')}";
        var stored = await specs.TryLoadAsync(model, ct).ConfigureAwait(false);
        var (items, problems) = Parse(bytes);
        FeedbackResult result = stored switch
        {
            null => new FeedbackResult(items.Count, 0, [new FeedbackRejection(-1, null, "unknown-model", $"Model '{model}' has no spec.")]),
            { IsValid: false } => new FeedbackResult(items.Count, 0, [new FeedbackRejection(-1, null, "invalid-spec", new InvalidModelSpecException(model, stored.Problems).Message)]),
            _ => await feedback.SubmitBulkAsync(model, stored.Spec!, items, ct).ConfigureAwait(false),
        };
        result = result with { Rejected = [.. problems, .. result.Rejected] };

        await DropArchive.ArchiveAndDeleteAsync(
            new DroppedFile(blob, version),
            storage.Feedback.GetBlobClient(BlobLayout.FeedbackProcessed(model, stamp)),
            new MemoryStream(bytes, writable: false),
            storage.Feedback.GetBlobClient(BlobLayout.FeedbackProcessed(model, stamp + ".report.json")),
            result,
            ct).ConfigureAwait(false);
        logger.LogInformation("Feedback file {File} for {Model}: {Accepted}/{Received} labels accepted", fileName, model, result.Accepted, result.Received);
        return result;
    }

    private static (List<FeedbackItem> Items, List<FeedbackRejection> Problems) Parse(byte[] bytes)
    {
        var items = new List<FeedbackItem>();
        var problems = new List<FeedbackRejection>();
        using var reader = new CsvReader(new MemoryStream(bytes, writable: false));
        if (!reader.Read())
        {
            problems.Add(new FeedbackRejection(-1, null, "empty-file", reader.Problem?.Message ?? "The file has no header."));
            return (items, problems);
        }

        var header = reader.ToArray();
        var id = Array.IndexOf(header, "predictionId");
        var label = Array.IndexOf(header, "label");
        var observed = Array.IndexOf(header, "observedAt");
        if (id < 0 || label < 0)
        {
            problems.Add(new FeedbackRejection(-1, null, "missing-column", "The header must name 'predictionId' and 'label' (and optionally 'observedAt')."));
            return (items, problems);
        }

        while (reader.Read())
        {
            var fields = reader.ToArray();
            if (reader.IsMalformed || fields.Length != header.Length)
            {
                problems.Add(new FeedbackRejection(reader.Line, null, "unparseable-row", $"Line {reader.Line} has {fields.Length} fields; the header has {header.Length}."));
                continue;
            }

            DateTimeOffset? at = null;
            if (observed >= 0 && fields[observed].Length > 0)
            {
                if (!DateTimeOffset.TryParse(fields[observed], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
                {
                    problems.Add(new FeedbackRejection(reader.Line, fields[id], FeedbackReasons.InvalidObservedAt, $"Line {reader.Line}: observedAt '{fields[observed]}' is not a date and time (ISO 8601, e.g. 2026-11-30T14:00:00Z)."));
                    continue;
                }

                at = t;
            }

            items.Add(new FeedbackItem(fields[id], JsonSerializer.SerializeToElement(fields[label]), at));
        }

        return (items, problems);
    }
}
