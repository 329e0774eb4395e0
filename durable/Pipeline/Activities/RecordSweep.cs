using Serverless.Core.Runs;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Stores the finished sweep with its run, for the card (<see cref="SweepTrials.RecordAsync"/>).</summary>
public sealed class RecordSweep(SweepTrials trials) : PipelineActivity<SweepRecordRequest, bool>
{
    public const string Name = "RecordSweep";

    protected override string Step => PipelineSteps.Sweep;

    protected override RunRef Subject(SweepRecordRequest input) => new(input.RunId, input.Model);

    protected override async Task<bool> ExecuteAsync(SweepRecordRequest request, CancellationToken ct)
    {
        await trials.RecordAsync(request, ct).ConfigureAwait(false);
        return true;
    }
}
