using System.Collections.Concurrent;
using System.Diagnostics;
using Serverless.Core.Telemetry;

namespace Serverless.Bench;

/// <summary>
/// The pipeline's step spans (<c>pipeline.{step}</c>, tagged with the run) as the host records them, so a run's step
/// seconds (orchestration clock, queue hand-offs included) can be split into the activity's own work and the rest.
/// </summary>
internal sealed class StepTrace : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public StepTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PlatformTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The step spans of <paramref name="runId"/>: step name → the activity's own seconds and its tags.</summary>
    public IReadOnlyDictionary<string, (double Seconds, IReadOnlyDictionary<string, object?> Tags)> Of(string runId) =>
        _spans.Where(s => s.GetTagItem("run.id") as string == runId && s.OperationName.StartsWith("pipeline.", StringComparison.Ordinal))
            .GroupBy(s => s.OperationName["pipeline.".Length..])
            .ToDictionary(g => g.Key, g => (g.Last().Duration.TotalSeconds, (IReadOnlyDictionary<string, object?>)g.Last().TagObjects.ToDictionary(t => t.Key, t => t.Value)));

    public void Dispose() => _listener.Dispose();
}
