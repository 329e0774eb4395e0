using Serverless.Core.BatchScoring;
using Serverless.Core.Runs;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.BatchScoring;

/// <summary>A refused batch's request and reason.</summary>
public sealed record BatchRefusal(BatchScoringRequest Request, string Problem);

/// <summary>Pins the version and splits the input into chunks (<see cref="BatchScorer.PlanAsync"/>).</summary>
public sealed class PlanBatch(BatchScorer scorer) : PipelineActivity<BatchScoringRequest, BatchPlan>
{
    public const string Name = "PlanBatch";

    protected override string Step => "batch-plan";

    protected override RunRef Subject(BatchScoringRequest input) => new(input.BatchId, input.Model);

    protected override Task<BatchPlan> ExecuteAsync(BatchScoringRequest input, CancellationToken ct) => scorer.PlanAsync(input, ct);
}

/// <summary>Scores one chunk (<see cref="BatchScorer.ScoreChunkAsync"/>).</summary>
public sealed class ScoreBatchChunk(BatchScorer scorer) : PipelineActivity<BatchChunkWork, BatchChunkResult>
{
    public const string Name = "ScoreBatchChunk";

    protected override string Step => "batch-chunk";

    protected override RunRef Subject(BatchChunkWork input) => new(input.Request.BatchId, input.Request.Model);

    protected override Task<BatchChunkResult> ExecuteAsync(BatchChunkWork input, CancellationToken ct) => scorer.ScoreChunkAsync(input, ct);
}

/// <summary>Writes results, errors and summary (<see cref="BatchScorer.AssembleAsync"/>).</summary>
public sealed class AssembleBatch(BatchScorer scorer) : PipelineActivity<BatchAssembly, BatchSummary>
{
    public const string Name = "AssembleBatch";

    protected override string Step => "batch-assemble";

    protected override RunRef Subject(BatchAssembly input) => new(input.Request.BatchId, input.Request.Model);

    protected override Task<BatchSummary> ExecuteAsync(BatchAssembly input, CancellationToken ct) => scorer.AssembleAsync(input, ct);
}

/// <summary>Records why a batch could not be scored (<see cref="BatchScorer.RefuseAsync"/>).</summary>
public sealed class RefuseBatch(BatchScorer scorer) : PipelineActivity<BatchRefusal, BatchSummary>
{
    public const string Name = "RefuseBatch";

    protected override string Step => "batch-refuse";

    protected override RunRef Subject(BatchRefusal input) => new(input.Request.BatchId, input.Request.Model);

    protected override Task<BatchSummary> ExecuteAsync(BatchRefusal input, CancellationToken ct) => scorer.RefuseAsync(input.Request, input.Problem, ct);
}
