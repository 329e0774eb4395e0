using Serverless.Core.Evaluation;

namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// One logged prediction joined with the label that arrived for it. <paramref name="ClassOrder"/> is the order of its
/// logged probabilities (multiclass), null when none were logged.
/// </summary>
public sealed record LabeledOutput(string Label, ModelOutputRow Output, IReadOnlyList<string>? ClassOrder);
