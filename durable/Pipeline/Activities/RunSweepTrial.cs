using Serverless.Core.Runs;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Fits and scores one trial of the run's sweep at one rung (<see cref="SweepTrials"/>).</summary>
public sealed class RunSweepTrial(SweepTrials trials) : PipelineActivity<TrialRequest, TrialScore>
{
    public const string Name = "RunSweepTrial";

    protected override string Step => PipelineSteps.Sweep;

    protected override RunRef Subject(TrialRequest input) => new(input.RunId, input.Model);

    protected override string Outcome(TrialScore result) => result.Error is null ? "ok" : "trial-failed";

    protected override Task<TrialScore> ExecuteAsync(TrialRequest request, CancellationToken ct) => trials.RunAsync(request, ct);
}
