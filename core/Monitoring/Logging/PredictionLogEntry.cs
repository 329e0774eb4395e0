using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>One logged predict request: its validated inputs and the predictions returned.</summary>
public sealed record PredictionLogEntry(
    string Model,
    int Version,
    ModelTask Task,
    string RequestId,
    DateTimeOffset At,
    TabularDataset Inputs,
    IReadOnlyList<Prediction> Predictions,
    double? LabelingConfidenceThreshold);
