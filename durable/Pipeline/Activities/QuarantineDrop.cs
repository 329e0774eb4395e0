using Serverless.Core.Ingest;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>After an ingest that failed for good: the drop moves to quarantine with the reason (<see cref="IngestService.QuarantineFailedAsync"/>).</summary>
public sealed class QuarantineDrop(IngestService ingest) : PipelineActivity<QuarantineRequest, IngestOutcome>
{
    public const string Name = "QuarantineDrop";

    protected override string Step => PipelineSteps.Quarantine;

    protected override RunRef Subject(QuarantineRequest input) => new(input.Input.RunId, input.Input.Model);

    protected override string Outcome(IngestOutcome result) => result.Verdict;

    protected override Task<IngestOutcome> ExecuteAsync(QuarantineRequest input, CancellationToken ct) => ingest.QuarantineFailedAsync(input.Input, input.Reason, ct);
}
