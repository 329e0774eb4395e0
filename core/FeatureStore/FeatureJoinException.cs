namespace Serverless.Core.FeatureStore;

/// <summary>Data a point-in-time join cannot use: a missing or mistyped column, an unreadable timestamp (the message names the column and row).</summary>
public sealed class FeatureJoinException(string message) : Exception(message);
