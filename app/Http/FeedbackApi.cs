using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.Core;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;
using Serverless.Core.Monitoring.Feedback;

namespace Serverless.App.Http;

/// <summary>
/// Observed labels for logged predictions (scoring role): the client that scored holds the prediction ids and later
/// sees the outcomes. A label only attaches to an id already in the log, inside the feedback window, and names no
/// other data; whoever could send it can already shape the live data by what it scores.
/// </summary>
public static class FeedbackApi
{
    public static IEndpointRouteBuilder MapFeedbackApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        app.MapApiGroup<TAuthFilter>(ApiRole.Scoring).MapPost("/models/{model}/feedback", SubmitFeedback);
        return app;
    }

    /// <summary><c>[{predictionId, label, observedAt?}]</c>: joins observed outcomes to logged predictions.</summary>
    [EndpointSummary("Observed labels for logged predictions")]
    [EndpointDescription("Each item names a prediction id from a predict response; rejected items are listed with reasons.")]
    [RequestBody(typeof(IReadOnlyList<FeedbackItem>))]
    [ProducesResponseType<FeedbackResult>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(413)]
    public static async Task<IResult> SubmitFeedback(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Scoring.MaxBodyBytes} bytes.");
        return Problems.Ok(await s.Feedback.SubmitAsync(model, body.Bytes!, s.Scoring.MaxRows, ct));
    }
}
