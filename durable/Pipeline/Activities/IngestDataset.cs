using Serverless.Core.Ingest;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>The run's ingest: the outcome intake recorded, or the drop read and checked now (<see cref="IngestService.IngestRunAsync"/>).</summary>
public sealed class IngestDataset(IngestService ingest) : PipelineActivity<PipelineInput, IngestOutcome>
{
    public const string Name = "IngestDataset";

    protected override string Step => PipelineSteps.Ingest;

    protected override RunRef Subject(PipelineInput input) => new(input.RunId, input.Model);

    protected override string Outcome(IngestOutcome result) => result.Accepted ? "accepted" : "quarantined";

    protected override Task<IngestOutcome> ExecuteAsync(PipelineInput input, CancellationToken ct) => ingest.IngestRunAsync(input, ct);
}
