using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// Builds a training set from label rows (entity keys, <see cref="FeatureViewReference.EventTimestampColumn"/>, label,
/// raw columns) and feature views: every label row keeps its columns and gains each view's features as they were at
/// its event time (<see cref="PointInTimeJoin"/>); a feature no row qualifies for is missing (NaN, or null text).
/// </summary>
public static class TrainingSetBuilder
{
    public static TabularDataset Build(TabularDataset labels, IReadOnlyList<ViewSource> views)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(views);
        var columns = new List<DataColumn>(labels.Columns);
        var names = new HashSet<string>(labels.Columns.Select(c => c.Name), StringComparer.Ordinal);
        var labelTicks = EventTime.Read(labels, FeatureViewReference.EventTimestampColumn, "The label rows");
        foreach (var source in views)
        {
            var matches = Match(labels, labelTicks, source);
            foreach (var feature in source.Features)
            {
                if (!names.Add(feature.Name)) throw new FeatureJoinException($"Feature '{feature.Name}' of view '{source.View.Name}' is already a column of the training set.");
                columns.Add(Gather(source, feature, matches));
            }
        }

        return new TabularDataset(columns);
    }

    /// <summary>For each label row, the row of <paramref name="source"/> it joins (or <see cref="PointInTimeJoin.NoMatch"/>).</summary>
    public static int[] Match(TabularDataset labels, long[] labelTicks, ViewSource source)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelTicks);
        ArgumentNullException.ThrowIfNull(source);
        var table = $"Source '{source.View.Source.Dataset}' of view '{source.View.Name}'";
        var keys = new EntityKeys();
        var labelIds = keys.Assign(labels, source.View.Entities, "The label rows");
        var sortedLabels = new TimedKey[labels.RowCount];
        for (var i = 0; i < sortedLabels.Length; i++) sortedLabels[i] = new(labelIds[i], labelTicks[i], i);
        Array.Sort(sortedLabels);

        var featureIds = keys.Lookup(source.Rows, source.View.Entities, table);
        var featureTicks = EventTime.Read(source.Rows, source.View.Source.TimestampColumn, table);
        var sortedFeatures = new List<TimedKey>(source.Rows.RowCount);
        for (var i = 0; i < featureIds.Length; i++)
        {
            if (featureIds[i] != EntityKeys.None) sortedFeatures.Add(new(featureIds[i], featureTicks[i], i));
        }

        sortedFeatures.Sort();
        return PointInTimeJoin.Match(sortedLabels, sortedFeatures, source.View.Ttl, labels.RowCount);
    }

    private static DataColumn Gather(ViewSource source, FeatureViewFeature feature, int[] matches)
    {
        if (!source.Rows.Contains(feature.Name)) throw new FeatureJoinException($"Source '{source.View.Source.Dataset}' of view '{source.View.Name}' has no column '{feature.Name}'.");
        var column = source.Rows[feature.Name];
        if (feature.Type == FeatureType.Categorical)
        {
            var texts = column.Texts ?? throw new FeatureJoinException($"Feature '{feature.Name}' of view '{source.View.Name}' is categorical, but its source column holds numbers.");
            var values = new string?[matches.Length];
            for (var i = 0; i < values.Length; i++) values[i] = matches[i] == PointInTimeJoin.NoMatch ? null : texts[matches[i]];
            return DataColumn.Text(feature.Name, values);
        }

        var floats = column.Floats ?? throw new FeatureJoinException($"Feature '{feature.Name}' of view '{source.View.Name}' is {feature.Type.ToString().ToLowerInvariant()}, but its source column holds text.");
        var result = new float[matches.Length];
        for (var i = 0; i < result.Length; i++) result[i] = matches[i] == PointInTimeJoin.NoMatch ? float.NaN : floats[matches[i]];
        return DataColumn.Float(feature.Name, result);
    }
}
