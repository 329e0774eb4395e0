using Serverless.Core.Promotion;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>The gate (<see cref="CandidateEvaluation"/>): candidate against champion on the run's holdout.</summary>
public sealed class EvaluateCandidate(CandidateEvaluation evaluation) : PipelineActivity<EvaluateRequest, EvaluationOutcome>
{
    public const string Name = "EvaluateCandidate";

    protected override string Step => PipelineSteps.Evaluate;

    protected override RunRef Subject(EvaluateRequest input) => new(input.RunId, input.Model);

    protected override string Outcome(EvaluationOutcome result) => result.Passed ? "passed" : "failed";

    protected override Task<EvaluationOutcome> ExecuteAsync(EvaluateRequest request, CancellationToken ct) => evaluation.EvaluateAsync(request, ct);
}
