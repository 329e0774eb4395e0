namespace Serverless.Core.Registry;

/// <summary>
/// Where a version's data came from, enough to trace it back to bytes: the dataset version and its ingest, how the rows
/// were split, the spec it was validated under and the champion it was measured against.
/// </summary>
/// <param name="DatasetSha256">The dataset version (SHA-256 of the ingested file's bytes).</param>
/// <param name="SourceName">The file name the dataset was ingested from.</param>
/// <param name="IngestedAt">When the platform received the file: the dataset's only time stamp, since specs have no date/time feature type (numeric, categorical, boolean only), so no date column's range can be stated.</param>
/// <param name="IngestedRows">Valid rows kept at ingest.</param>
/// <param name="DroppedRows">Invalid rows dropped at ingest (listed in the ingest's validation report).</param>
/// <param name="ParentDataset">For a dataset the platform built from feedback: the version it extends.</param>
/// <param name="FeedbackFrom">Feedback merges: the earliest prediction time taken in.</param>
/// <param name="FeedbackTo">Feedback merges: the latest prediction time taken in.</param>
/// <param name="PreviousChampion">The champion when this version was registered, the one its gate compared against (null: first).</param>
public sealed record ModelCardLineage(
    string DatasetSha256,
    string? SourceName,
    DateTimeOffset? IngestedAt,
    long? IngestedRows,
    long? DroppedRows,
    long TrainRows,
    long HoldoutRows,
    string SpecSha256,
    int? PreviousChampion,
    string? ParentDataset = null,
    DateTimeOffset? FeedbackFrom = null,
    DateTimeOffset? FeedbackTo = null);
