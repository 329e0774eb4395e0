using Serverless.Core.Datasets;

namespace Serverless.Core.Ingest;

/// <summary>Bound from configuration section <c>Ingest</c>: how drops are read and how big they may be.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>
    /// Drops up to this size are read in one download, hashed and validated from memory (one request, the fast path
    /// for small files); larger ones are hashed while streaming and read again as a stream for the contract, so no
    /// drop is ever held whole in memory.
    /// </summary>
    public long InMemoryDropBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Largest drop that is validated; a larger one is quarantined with <see cref="ContractRules.FileTooLarge"/>.</summary>
    public long MaxDropBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Rows per row group of the Parquet snapshot written while a drop streams in (bounds the rows held at once).</summary>
    public int SnapshotRowGroupRows { get; set; } = 128 * 1024;

    /// <summary>Bytes per block when a snapshot or an archive copy is uploaded as it is produced.</summary>
    public int BlockBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Read-ahead buffer of a streamed drop.</summary>
    public int ReadBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The contract's caps (record length, columns, listed problems, Parquet row counts).</summary>
    public DatasetLimits Contract { get; set; } = DatasetLimits.Default;
}
