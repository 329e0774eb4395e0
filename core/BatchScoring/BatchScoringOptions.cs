namespace Serverless.Core.BatchScoring;

/// <summary>How batch scoring splits and runs a file (section <c>BatchScoring</c>).</summary>
public sealed class BatchScoringOptions
{
    public const string Section = "BatchScoring";

    /// <summary>Rows per chunk activity: what one activity holds at most, in ORT-sized slices of <see cref="ScoreRows"/>.</summary>
    public int ChunkRows { get; set; } = 100_000;

    /// <summary>Chunk activities in flight at once per batch.</summary>
    public int MaxParallelChunks { get; set; } = 4;

    /// <summary>Rows per ONNX Runtime call inside a chunk.</summary>
    public int ScoreRows { get; set; } = 8192;
}
