namespace Serverless.Core.BatchScoring;

/// <summary>The file split into chunks, scored with one pinned <paramref name="Version"/> (the champion when it started).</summary>
/// <param name="Problem">Why nothing can be scored (no such model or version, a missing column, not a CSV file); no chunks then.</param>
/// <param name="MalformedRows">Records that could not be read as CSV, already written to the errors.</param>
/// <param name="Parallelism">Chunk activities in flight at once (from options, fixed here so replays agree).</param>
public sealed record BatchPlan(int Version, IReadOnlyList<BatchChunk> Chunks, long RowsIn, long MalformedRows, int Parallelism, string? Problem)
{
    public static BatchPlan Refused(string problem) => new(0, [], 0, 0, 1, problem);
}

/// <param name="FirstRow">1-based number of the chunk's first data row in the input.</param>
public sealed record BatchChunk(int Index, long FirstRow, int Rows);

/// <summary>What one chunk activity wrote: rows scored and rows refused (each with at least one error line).</summary>
public sealed record BatchChunkResult(int Index, int RowsOut, int RowsWithErrors);

/// <summary>A chunk activity's input.</summary>
public sealed record BatchChunkWork(BatchScoringRequest Request, int Version, BatchChunk Chunk);

/// <summary>The assemble step's input.</summary>
public sealed record BatchAssembly(BatchScoringRequest Request, BatchPlan Plan, IReadOnlyList<BatchChunkResult> Chunks);
