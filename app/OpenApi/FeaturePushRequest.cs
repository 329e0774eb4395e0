using System.Text.Json;

namespace Serverless.App.OpenApi;

/// <summary>The documented body of a feature push (the handler parses and validates the bytes itself).</summary>
public sealed record FeaturePushRequest(IReadOnlyList<FeaturePushRow> Rows);

/// <summary>One entity's features at <paramref name="Timestamp"/>, keyed by the view's entity columns.</summary>
public sealed record FeaturePushRow(Dictionary<string, JsonElement> Keys, DateTimeOffset Timestamp, Dictionary<string, JsonElement> Features);
