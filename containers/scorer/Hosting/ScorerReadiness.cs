using Serverless.Core.Registry;
using Serverless.Core.Scoring;

namespace Serverless.Scorer.Hosting;

/// <summary>
/// Readiness, separate from liveness (<c>/api/health</c> stays cheap): storage answers and every model's champion
/// loads (the first check loads them, so the first request does not). Once champions are loaded, storage going away
/// keeps the replica ready: <see cref="ModelServer"/> keeps serving the last known champions, and every replica
/// shares the account, so failing readiness then would turn a storage blip into a full outage.
/// </summary>
public sealed class ScorerReadiness(ModelRegistry registry, ModelServer server, ILogger<ScorerReadiness> logger)
{
    public const string Path = "/api/health/ready";

    /// <summary>Answers within <paramref name="timeout"/> (the probe's own timeout is above it); a champion still loading then keeps loading.</summary>
    public async Task<ReadinessResponse> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        IReadOnlyList<string> models;
        try
        {
            models = await registry.ListModelsAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Readiness: storage is unreachable.");
            return server.ServesAnyChampion
                ? new ReadinessResponse(true, "storage unreachable; serving the loaded champions")
                : new ReadinessResponse(false, "storage unreachable");
        }

        var failed = 0;
        foreach (var model in models)
        {
            try
            {
                await server.GetChampionAsync(model, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new ReadinessResponse(false, $"champions still loading after {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Readiness: the champion of {Model} does not load.", model);
                failed++;
            }
        }

        // Model names stay in the log: this route is anonymous (probes send no key).
        return failed == 0
            ? new ReadinessResponse(true, $"{models.Count} model(s) checked")
            : new ReadinessResponse(false, $"{failed} of {models.Count} champion(s) do not load");
    }
}

/// <summary>The readiness route's body: 200 when <see cref="Ready"/>, else 503.</summary>
public sealed record ReadinessResponse(bool Ready, string Detail);
