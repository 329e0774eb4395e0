using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Specs;

namespace Serverless.App.Monitoring;

/// <summary><c>GET /api/models/{model}/monitoring/quality</c>: the model's spec, the query checked against it, the series.</summary>
public sealed class LiveQualityRequests(ModelSpecStore specs, LiveQualityHistory history, IOptions<LiveQualitySeriesOptions> options, TimeProvider time)
{
    public async Task<Outcome<LiveQualitySeries>> GetAsync(string model, IQueryCollection query, CancellationToken ct)
    {
        ModelSpec? spec;
        try
        {
            spec = await specs.LoadValidAsync(model, ct).ConfigureAwait(false);
        }
        catch (InvalidModelSpecException e)
        {
            return Outcome<LiveQualitySeries>.StoredSpecInvalid(e);
        }

        if (spec is null)
        {
            return new Outcome<LiveQualitySeries>.NotFound($"Model '{model}' does not exist.");
        }

        return LiveQualityQuery.Parse(query, spec, time.GetUtcNow(), options.Value) switch
        {
            Outcome<(LiveQualityRange Range, int MinLabels)>.Done q => await history.ComputeAsync(model, spec, q.Value.Range, q.Value.MinLabels, ct).ConfigureAwait(false),
            Outcome<(LiveQualityRange, int)>.Invalid i => new Outcome<LiveQualitySeries>.Invalid(i.Detail, i.Errors),
            var other => throw new InvalidOperationException($"Unexpected {other.GetType().Name}."),
        };
    }
}
