using Serverless.Core.Datasets;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// Streaming counts of logged rows over a <see cref="ReferenceProfile"/>'s slots and categories. Memory is bounded by
/// the profile (not by rows), and windows over the same profile merge by addition, so blobs can be counted in parallel.
/// </summary>
public sealed class DriftWindow
{
    private readonly NumericAccumulator?[] _numeric;
    private readonly CategoryAccumulator?[] _categorical;

    public DriftWindow(ReferenceProfile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Reference = reference;
        var columns = reference.Features.Append(reference.Prediction).ToList();
        _numeric = columns.Select(c => c?.Numeric is { } h ? new NumericAccumulator(h) : null).ToArray();
        _categorical = columns.Select(c => c?.Categorical is { } k ? new CategoryAccumulator(k) : null).ToArray();
    }

    public ReferenceProfile Reference { get; }

    /// <summary>Rows added so far (missing values included).</summary>
    public long Rows { get; private set; }

    private int PredictionIndex => _numeric.Length - 1;

    /// <summary>Counts a batch: every profiled feature must be a column of <paramref name="rows"/>.</summary>
    /// <param name="predictions">The model output for these rows; ignored when the profile has no prediction column.</param>
    public void Add(TabularDataset rows, DataColumn? predictions = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (predictions is not null && predictions.Length != rows.RowCount)
        {
            throw new ArgumentException($"Predictions have {predictions.Length} rows, the batch {rows.RowCount}.", nameof(predictions));
        }

        for (var i = 0; i < Reference.Features.Count; i++)
        {
            AddColumn(i, Reference.Features[i], rows[Reference.Features[i].Name]);
        }

        if (predictions is not null && Reference.Prediction is { } p)
        {
            AddColumn(PredictionIndex, p, predictions);
        }

        Rows += rows.RowCount;
    }

    /// <summary>Adds another window's counts (same profile shape) into this one.</summary>
    public void Merge(DriftWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!SameShape(other))
        {
            throw new ArgumentException("Windows over different reference profiles cannot be merged.", nameof(other));
        }

        for (var i = 0; i < _numeric.Length; i++)
        {
            _numeric[i]?.Merge(other._numeric[i]!);
            _categorical[i]?.Merge(other._categorical[i]!);
        }

        Rows += other.Rows;
    }

    /// <summary>Index: feature position in the profile, or <see cref="ReferenceProfile.Features"/>.Count for the prediction.</summary>
    internal NumericAccumulator? NumericAt(int index) => _numeric[index];

    internal CategoryAccumulator? CategoricalAt(int index) => _categorical[index];

    private void AddColumn(int index, ColumnProfile profile, DataColumn column)
    {
        switch (profile.Kind)
        {
            case ColumnKinds.Numeric:
                _numeric[index]!.Add(column.FloatValues);
                break;
            case ColumnKinds.Boolean:
                _categorical[index]!.AddBoolean(column.FloatValues);
                break;
            default:
                _categorical[index]!.Add(column.TextValues);
                break;
        }
    }

    private bool SameShape(DriftWindow other) =>
        ReferenceEquals(Reference, other.Reference)
        || (Reference.Features.Select(f => f.Name).SequenceEqual(other.Reference.Features.Select(f => f.Name))
            && _numeric.Zip(other._numeric).All(p => p.First?.Counts.Length == p.Second?.Counts.Length)
            && _categorical.Zip(other._categorical).All(p => p.First?.Counts.Length == p.Second?.Counts.Length));
}
