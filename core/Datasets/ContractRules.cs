namespace Serverless.Core.Datasets;

/// <summary>Rule names used in <see cref="ValidationReport"/>s; stable strings because reports are stored and compared.</summary>
public static class ContractRules
{
    // File-level: any of these quarantines the whole file.
    public const string EmptyFile = "empty-file";
    public const string MissingColumn = "missing-column";
    public const string ExtraColumn = "extra-column";
    public const string DuplicateColumn = "duplicate-column";
    public const string NotUtf8 = "not-utf8";
    public const string BinaryContent = "binary-content";
    public const string CompressedContent = "compressed-content";
    public const string CorruptParquet = "corrupt-parquet";
    public const string SchemaMismatch = "schema-mismatch";

    // File-level caps (DatasetLimits, IngestOptions): a file past one is quarantined without being read further.
    public const string FileTooLarge = "file-too-large";
    public const string RecordTooLong = "record-too-long";
    public const string TooManyColumns = "too-many-columns";
    public const string ParquetRowCount = "parquet-row-count";

    // File-level, about the label and the amount of data (checked on the valid rows).
    public const string PositiveClassRequired = "positive-class-required";
    public const string TooManyClasses = "too-many-classes";
    public const string SingleClass = "single-class";
    public const string TooLittleData = "too-little-data";

    // Row-level: the row is invalid and dropped (or counted towards quarantine).
    public const string TypeError = "type-error";
    public const string OutOfRange = "out-of-range";
    public const string NullNotAllowed = "null-not-allowed";
    public const string UnknownCategory = "unknown-category";
    public const string UnknownClass = "unknown-class";
    public const string MissingLabel = "missing-label";
    public const string UnparseableRow = "unparseable-row";
}
