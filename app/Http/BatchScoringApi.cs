using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.BatchScoring;
using Serverless.App.Http.Auth;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;
using Serverless.Core.BatchScoring;

namespace Serverless.App.Http;

/// <summary>Scoring a file in storage as a durable batch, and following it (scoring role: it scores, it trains nothing).</summary>
public static class BatchScoringApi
{
    public static IEndpointRouteBuilder MapBatchScoringApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var scoring = app.MapApiGroup<TAuthFilter>(ApiRole.Scoring);
        scoring.MapPost("/models/{model}/batch", StartBatch);
        scoring.MapGet("/batches/{batchId}", GetBatch);
        return app;
    }

    [EndpointSummary("Score a file in storage as a durable batch")]
    [RequestBody(typeof(StartBatchRequest))]
    [ProducesResponseType<BatchStarted>(StatusCodes.Status202Accepted)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(413)]
    public static async Task<IResult> StartBatch(string model, HttpRequest request, [FromServices] BatchRequests s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, BatchRequests.MaxRequestBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"A batch request is limited to {BatchRequests.MaxRequestBytes} bytes; it names a blob, it does not carry the rows.");
        return Problems.Map(await s.StartAsync(model, body.Bytes!, ct), started => TypedResults.Accepted(started.StatusUrl, started));
    }

    [EndpointSummary("A batch's status, request and summary")]
    [ProducesResponseType<BatchView>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> GetBatch(string batchId, [FromServices] BatchRequests s, CancellationToken ct) =>
        Problems.Ok(await s.GetAsync(batchId, ct));
}
