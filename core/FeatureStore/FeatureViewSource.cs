namespace Serverless.Core.FeatureStore;

/// <summary>Where a view's values come from: a platform dataset (its latest snapshot) and the column holding each row's event time.</summary>
/// <param name="Dataset">The dataset's name (<c>datasets/{dataset}/versions/…</c>).</param>
/// <param name="TimestampColumn">Event time of each row, as ISO 8601 text (a float column could not hold seconds exactly).</param>
public sealed record FeatureViewSource(string Dataset, string TimestampColumn);
