using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Serverless.Core.Scoring;
using Serverless.App.Http;

namespace Serverless.Bench;

/// <summary>
/// <see cref="ScoringApi.Predict"/> called directly with an in-memory request: body read, JSON parse, champion
/// lookup, request parsing, ORT run, prediction log offer and telemetry; no Kestrel, routing or response writing.
/// </summary>
internal sealed class InProcessPredict(ScoringApiServices services, string model)
{
    public async Task<PredictResponse> CallAsync(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        var result = await ScoringApi.Predict(model, context.Request, services, CancellationToken.None);
        return result is Ok<PredictResponse> ok ? ok.Value! : throw new InvalidOperationException($"Predict returned {result.GetType().Name}.");
    }
}
