using Microsoft.Extensions.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Telemetry;

namespace Serverless.Core.Promotion;

/// <summary>
/// Moves the champion alias only if it still names the version the gate beat: a newer champion or a manual
/// rollback made since evaluation wins, and this version stays registered, not promoted.
/// </summary>
public sealed class ChampionPromotion(ModelRegistry registry, ILogger<ChampionPromotion> logger)
{
    public async Task<PromoteOutcome> PromoteAsync(PromoteRequest request, CancellationToken ct)
    {
        var move = await registry.MoveAliasIfAsync(request.Model, ModelAliases.Champion, request.Version, request.ExpectedChampion, $"gate passed in run {request.RunId}", ct).ConfigureAwait(false);
        if (!move.Moved)
        {
            var detail = $"not promoted: the champion changed from {Describe(request.ExpectedChampion)} to {Describe(move.Current)} after this run's gate compared against {Describe(request.ExpectedChampion)}; v{request.Version} stays registered";
            logger.LogWarning("{Model} v{Version} {Detail}", request.Model, request.Version, detail);
            return new PromoteOutcome(false, move.Current, detail);
        }

        PlatformTelemetry.Runs.Add(1, new("model", request.Model), new("outcome", RunOutcomes.Promoted));
        logger.LogInformation("Promoted {Model} v{Version} to champion", request.Model, request.Version);
        return new PromoteOutcome(true, request.Version, $"champion → {request.Version}");

        static string Describe(int? version) => version is { } v ? $"v{v}" : "none";
    }
}
