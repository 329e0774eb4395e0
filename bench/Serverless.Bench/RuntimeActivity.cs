using System.Diagnostics;

namespace Serverless.Bench;

/// <summary>
/// What the runtime did during one load run, from its own counters (dotnet-counters is not installed here): GCs per
/// generation and their total pause, lock contentions, thread-pool growth and the longest work-item queue seen
/// (sampled every 10 ms). Read beside a run's p99 to see where its tail comes from.
/// </summary>
internal sealed class RuntimeActivity : IDisposable
{
    private readonly Counters _start = Snapshot();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Thread _sampler;
    private volatile bool _stopped;
    private long _maxQueued;
    private long _maxRss;

    public RuntimeActivity()
    {
        _sampler = new Thread(Sample) { IsBackground = true, Name = "runtime-activity" };
        _sampler.Start();
    }

    /// <summary>Highest resident set size of this process seen while sampling, in bytes.</summary>
    public long MaxRss => Interlocked.Read(ref _maxRss);

    /// <summary>GC pause during the run as a share of its wall time.</summary>
    public double PauseShare { get; private set; }

    /// <summary>One line for a result's note.</summary>
    public string Summary { get; private set; } = "";

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        _sampler.Join();
        var end = Snapshot();
        var pause = end.Pause - _start.Pause;
        PauseShare = pause / _elapsed.Elapsed;
        var gcs = end.Gen0 - _start.Gen0;
        Summary = $"GCs gen0/1/2 {gcs}/{end.Gen1 - _start.Gen1}/{end.Gen2 - _start.Gen2}, pause {pause.TotalMilliseconds:F0} ms ({PauseShare:P1} of the run" +
            (gcs > 0 ? $", {pause.TotalMilliseconds / gcs:F1} ms each" : "") +
            $"), {(end.Allocated - _start.Allocated) / _elapsed.Elapsed.TotalSeconds / 1e6:F0} MB/s allocated, lock contentions {end.Contentions - _start.Contentions}, " +
            $"pool threads {_start.Threads}→{end.Threads}, max queued work items {_maxQueued}";
    }

    private void Sample()
    {
        while (!_stopped)
        {
            var queued = ThreadPool.PendingWorkItemCount;
            if (queued > _maxQueued) _maxQueued = queued;
            var rss = Environment.WorkingSet;
            if (rss > _maxRss) Interlocked.Exchange(ref _maxRss, rss);
            Thread.Sleep(10);
        }
    }

    private static Counters Snapshot() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), Monitor.LockContentionCount, ThreadPool.ThreadCount, GC.GetTotalAllocatedBytes());

    private readonly record struct Counters(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Contentions, int Threads, long Allocated);
}
