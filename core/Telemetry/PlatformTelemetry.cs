using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.Core.Telemetry;

/// <summary>
/// The platform's one meter and one activity source. Hosts subscribe by <see cref="Name"/> (OpenTelemetry, the
/// Azure Monitor exporter, Prometheus); tests read them with an in-memory exporter or a MeterListener.
/// </summary>
public static class PlatformTelemetry
{
    public const string Name = "Serverless.Platform";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Predictions = Meter.CreateCounter<long>("serverless.predictions", "{prediction}", "Rows scored.");

    public static readonly Histogram<double> PredictDuration = Meter.CreateHistogram<double>("serverless.predict.duration", "ms", "Predict request latency, parse to response.");

    public static readonly Histogram<int> BatchRows = Meter.CreateHistogram<int>("serverless.scoring.batch.rows", "{row}", "Rows per coalesced ONNX Runtime run (dynamic batching).");

    // Declared before the gauge that reads it (static fields initialize in order).
    private static readonly ConcurrentDictionary<string, bool> ProvidersInUse = new(StringComparer.Ordinal);

    /// <summary>1 per execution provider ("cuda", "cpu") that serves at least one model in this process.</summary>
    public static readonly ObservableGauge<int> ScoringProvider = Meter.CreateObservableGauge(
        "serverless.scoring.provider",
        () => ProvidersInUse.Keys.Select(p => new Measurement<int>(1, new KeyValuePair<string, object?>("provider", p))),
        "{provider}",
        "Execution providers serving models in this process.");

    public static readonly Counter<long> RequestErrors = Meter.CreateCounter<long>("serverless.predict.validation_errors", "{error}", "Field errors in predict requests.");

    public static readonly Counter<long> ValidationProblems = Meter.CreateCounter<long>("serverless.ingest.validation_problems", "{problem}", "Contract problems found in dropped files, by rule.");

    public static readonly Counter<long> LoggedRows = Meter.CreateCounter<long>("serverless.prediction_log.written", "{row}", "Prediction rows written to the log.");

    public static readonly Counter<long> DroppedRows = Meter.CreateCounter<long>("serverless.prediction_log.dropped", "{row}", "Prediction rows not logged (buffer full or storage down).");

    public static readonly Gauge<double> DriftScore = Meter.CreateGauge<double>("serverless.drift.score", null, "Latest drift statistic per feature.");

    public static readonly Gauge<double> LiveQuality = Meter.CreateGauge<double>("serverless.live.quality", null, "Live metric over labeled predictions, per version and window.");

    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>("serverless.alerts", "{alert}", "Drift and quality alerts.");

    public static readonly Counter<long> MonitoringFailures = Meter.CreateCounter<long>("serverless.monitoring.failures", "{check}", "Monitoring checks that could not run, per model.");

    public static readonly Counter<long> Runs = Meter.CreateCounter<long>("serverless.pipeline.runs", "{run}", "Finished pipeline steps by outcome.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("serverless.pipeline.step.duration", "s", "Pipeline activity duration.");

    /// <summary>Records that a model session runs on <paramref name="provider"/> (reported by <see cref="ScoringProvider"/>).</summary>
    public static void ReportProviderInUse(string provider) => ProvidersInUse.TryAdd(provider, true);

    /// <summary>A span for one pipeline step, tagged so traces can be filtered by run and model.</summary>
    public static Activity? StartStep(string step, string runId, string model)
    {
        var activity = Source.StartActivity($"pipeline.{step}", ActivityKind.Internal);
        activity?.SetTag("run.id", runId);
        activity?.SetTag("model", model);
        return activity;
    }
}
