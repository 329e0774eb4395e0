using System.Text.Json;
using Serverless.Core;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Specs;

namespace Serverless.App.Feedback;

/// <summary><c>POST …/feedback</c>: <c>[{predictionId, label, observedAt?}]</c> joined to logged predictions.</summary>
public sealed class FeedbackRequests(ModelSpecStore specs, FeedbackService feedback)
{
    public async Task<Outcome<FeedbackResult>> SubmitAsync(string model, byte[] body, int maxItems, CancellationToken ct)
    {
        List<FeedbackItem>? items;
        try
        {
            items = JsonSerializer.Deserialize<List<FeedbackItem>>(body, PlatformJson.Options);
        }
        catch (JsonException e)
        {
            return new Outcome<FeedbackResult>.Invalid("Expected a JSON array of {predictionId, label, observedAt?}: " + e.Message);
        }

        if (items is null || items.Count == 0)
        {
            return new Outcome<FeedbackResult>.Invalid("Expected a non-empty JSON array of {predictionId, label, observedAt?}.");
        }

        if (items.Count > maxItems)
        {
            return new Outcome<FeedbackResult>.TooLarge($"{items.Count} labels exceed the limit of {maxItems} per request.");
        }

        try
        {
            return await specs.LoadValidAsync(model, ct).ConfigureAwait(false) is { } spec
                ? await feedback.SubmitAsync(model, spec, items, ct).ConfigureAwait(false)
                : new Outcome<FeedbackResult>.NotFound($"Model '{model}' does not exist.");
        }
        catch (InvalidModelSpecException e)
        {
            return Outcome<FeedbackResult>.StoredSpecInvalid(e);
        }
    }
}
