namespace Serverless.Core.FeatureStore;

/// <summary>
/// One entity's feature values at one event time, in the view's feature order: a double for numeric and boolean
/// (1/0) features, a string for categorical ones, null for a missing value.
/// </summary>
public sealed record OnlineFeatureRow(string EntityKey, DateTimeOffset EventTime, IReadOnlyList<object?> Values);
