namespace Serverless.Core.Datasets;

/// <summary>
/// Bounds on what one file may make the contract hold, so a hostile or broken file is quarantined with a reason
/// instead of exhausting memory. None is a CSV or Parquet limit: each is a size past which a training file is far
/// more likely broken (an unterminated quote, a footer that lies) than meant.
/// </summary>
public sealed record DatasetLimits
{
    public static readonly DatasetLimits Default = new();

    /// <summary>Characters in one CSV record (an unterminated quote swallows the rest of the file into one).</summary>
    public int MaxRecordChars { get; init; } = 1 << 20;

    /// <summary>Columns in the header or schema (fields in a CSV record).</summary>
    public int MaxColumns { get; init; } = 10_000;

    /// <summary>Row problems listed in the report; beyond, only the counts by rule grow.</summary>
    public int MaxListedRowProblems { get; init; } = DatasetContract.MaxStoredRowProblems;

    /// <summary>File problems listed in the report (e.g. one per extra column); beyond, only the counts grow.</summary>
    public int MaxListedFileProblems { get; init; } = 100;

    /// <summary>
    /// Rows a Parquet footer may claim per byte of file: even bit-packed booleans take a bit per row and column, so a
    /// footer claiming more is checked against the file size before anything is allocated for it.
    /// </summary>
    public int MaxParquetRowsPerByte { get; init; } = 16;

    /// <summary>Rows of one Parquet row group: the reader holds a row group's columns at once.</summary>
    public int MaxParquetRowGroupRows { get; init; } = 1 << 21;
}
