namespace Serverless.Core.Datasets;

/// <summary>Describes one immutable dataset snapshot: where it came from and what it holds, so a training run can be traced back to bytes.</summary>
/// <param name="Model">Model name the snapshot belongs to.</param>
/// <param name="Sha256">The dataset version: hex SHA-256 of the source file's bytes.</param>
/// <param name="Rows">Rows in the snapshot (valid rows only).</param>
/// <param name="SourceName">Uploaded file name.</param>
/// <param name="DroppedRows">Invalid rows dropped at ingest.</param>
/// <param name="SpecSha256">Hex SHA-256 of the model spec the data was validated against.</param>
/// <param name="Lineage">For versions the platform built itself (feedback merges): what they were built from.</param>
public sealed record DatasetManifest(
    string Model,
    string Sha256,
    long Rows,
    IReadOnlyList<ManifestColumn> Schema,
    string SourceName,
    DateTimeOffset ReceivedAt,
    long DroppedRows,
    string SpecSha256,
    DatasetLineage? Lineage = null)
{
    /// <summary>Schema entries for <paramref name="data"/>: every column is a feature except <paramref name="label"/>.</summary>
    public static IReadOnlyList<ManifestColumn> DescribeSchema(TabularDataset data, string label)
    {
        ArgumentNullException.ThrowIfNull(data);
        return DescribeSchema(data.Columns.Select(c => (c.Name, c.Kind)), label);
    }

    /// <summary>Schema entries for columns known by name and kind (a snapshot written in row groups).</summary>
    public static IReadOnlyList<ManifestColumn> DescribeSchema(IEnumerable<(string Name, ColumnKind Kind)> columns, string label) =>
        columns
            .Select(c => new ManifestColumn(
                c.Name,
                c.Kind == ColumnKind.Float ? "float" : "text",
                c.Name == label ? ManifestColumn.LabelRole : ManifestColumn.FeatureRole))
            .ToList();
}
