using System.Collections.Concurrent;
using System.Diagnostics;
using Serverless.Core.Telemetry;

namespace Serverless.Bench;

/// <summary>
/// Peak RSS, managed allocations and gen-2 collections per pipeline segment while one run goes through the in-process
/// host: a segment starts when a step's span starts and ends when the next one starts (so a trainer-job step, whose
/// training happens in the local worker between dispatch and evaluate, is covered too); the first segment is from the
/// drop to the first step (drop detection and intake's ingest). Steps run one after another, so process-wide figures
/// are per step; anything else the host does at the time (its timers) lands in them too.
/// </summary>
internal sealed class StepMemory : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Segment> _segments = new();
    private readonly object _gate = new();
    private string _current = "";
    private long _startedAt;
    private long _allocatedAt;
    private int _gen2At;

    public StepMemory()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PlatformTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = a =>
            {
                if (a.OperationName.StartsWith("pipeline.", StringComparison.Ordinal)) Next(a.OperationName["pipeline.".Length..]);
            },
            ActivityStopped = a =>
            {
                var parts = a.TagObjects.Where(t => t.Key.EndsWith(".seconds", StringComparison.Ordinal) && t.Value is double)
                    .Select(t => $"{t.Key.Split('.')[1]} {(double)t.Value!:F1} s").ToList();
                if (parts.Count > 0) Parts = $"{a.OperationName["pipeline.".Length..]} ({string.Join(", ", parts)})";
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The parts a step's span reports (the train activity: read, train, artifacts), if any.</summary>
    public string? Parts { get; private set; }

    public sealed record Segment(string Name, double Seconds, long PeakRssBytes, long AllocatedBytes, int Gen2Collections);

    /// <summary>Starts the first segment (call just before the drop).</summary>
    public void Start(string name) => Next(name);

    /// <summary>Closes the last segment and returns them all.</summary>
    public IReadOnlyList<Segment> Stop()
    {
        Next(null);
        return [.. _segments];
    }

    private void Next(string? name)
    {
        lock (_gate)
        {
            if (_current.Length > 0)
            {
                _segments.Enqueue(new Segment(_current, Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, ProcessMemory.PeakBytes,
                    GC.GetTotalAllocatedBytes(precise: true) - _allocatedAt, GC.CollectionCount(2) - _gen2At));
            }

            _current = name ?? "";
            _startedAt = Stopwatch.GetTimestamp();
            _allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
            _gen2At = GC.CollectionCount(2);
            ProcessMemory.ResetPeak();
        }
    }

    public void Dispose() => _listener.Dispose();
}
