using System.Text.Json;

namespace Serverless.Core.Monitoring.Feedback;

/// <summary>An observed outcome for a logged prediction; <paramref name="Label"/> is a JSON boolean, number or string.</summary>
public sealed record FeedbackItem(string? PredictionId, JsonElement Label, DateTimeOffset? ObservedAt = null);
