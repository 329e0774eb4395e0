namespace Serverless.Core.Datasets;

/// <summary>One column of a snapshot as recorded in its <see cref="DatasetManifest"/>.</summary>
/// <param name="Kind">"float" or "text" (see <see cref="ColumnKind"/>).</param>
/// <param name="Role">"feature" or "label".</param>
public sealed record ManifestColumn(string Name, string Kind, string Role)
{
    public const string FeatureRole = "feature";
    public const string LabelRole = "label";
}
