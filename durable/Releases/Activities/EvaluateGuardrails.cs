using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>The guardrails over the bake period just ended (<see cref="GuardrailEvaluator"/>).</summary>
public sealed class EvaluateGuardrails(ReleaseService releases) : ReleaseActivity<ReleaseInput, GuardrailVerdict>
{
    public const string Name = "EvaluateGuardrails";

    protected override ReleaseInput Release(ReleaseInput input) => input;

    protected override string Outcome(GuardrailVerdict result) => result.Held ? "held" : "breached";

    protected override Task<GuardrailVerdict> ExecuteAsync(ReleaseInput input, CancellationToken ct) => releases.EvaluateAsync(input, ct);
}
