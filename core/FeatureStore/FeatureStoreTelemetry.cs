using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Serverless.Core.Telemetry;

namespace Serverless.Core.FeatureStore;

/// <summary>The feature store's instruments on the platform's meter (<see cref="PlatformTelemetry.Meter"/>).</summary>
public static class FeatureStoreTelemetry
{
    // Declared before the gauge that reads it (static fields initialize in order).
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Watermarks = new(StringComparer.Ordinal);

    private static TimeProvider _time = TimeProvider.System;

    /// <summary>Seconds since the latest event the online store holds for each view (its materialization watermark).</summary>
    public static readonly ObservableGauge<double> Freshness = PlatformTelemetry.Meter.CreateObservableGauge(
        "serverless.features.freshness",
        () => Watermarks.Select(w => new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - w.Value).TotalSeconds), new KeyValuePair<string, object?>("view", w.Key))),
        "s",
        "Age of each feature view's online values: now minus its materialization watermark.");

    public static readonly Counter<long> MaterializedRows = PlatformTelemetry.Meter.CreateCounter<long>("serverless.features.materialized", "{entity}", "Entity rows written to the online store, by view and way (materialize, push).");

    /// <summary>Records the view's watermark for <see cref="Freshness"/>, measured against <paramref name="time"/>.</summary>
    public static void ReportWatermark(string view, DateTimeOffset watermark, TimeProvider time)
    {
        _time = time;
        Watermarks.AddOrUpdate(view, watermark, (_, old) => old > watermark ? old : watermark);
    }
}
