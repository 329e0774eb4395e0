using Serverless.Core.Promotion;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Moves the champion alias if it is still the one the gate beat (<see cref="ChampionPromotion"/>).</summary>
public sealed class PromoteModel(ChampionPromotion promotion) : PipelineActivity<PromoteRequest, PromoteOutcome>
{
    public const string Name = "PromoteModel";

    protected override string Step => PipelineSteps.Promote;

    protected override RunRef Subject(PromoteRequest input) => new(input.RunId, input.Model);

    protected override string Outcome(PromoteOutcome result) => result.Promoted ? "promoted" : "champion-changed";

    protected override Task<PromoteOutcome> ExecuteAsync(PromoteRequest request, CancellationToken ct) => promotion.PromoteAsync(request, ct);
}
