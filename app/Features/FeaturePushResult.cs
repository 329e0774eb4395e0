namespace Serverless.App.Features;

/// <summary>What a push did: rows received, and entities written (a row older than the stored one is not).</summary>
public sealed record FeaturePushResult(string View, string Version, int Rows, int Written);
