namespace Serverless.Core.Runs;

/// <summary>
/// While open, what the platform logs on this async flow belongs to one step of one run: <see cref="RunLogSink"/>
/// buffers those entries here and appends them to the <see cref="RunLog"/> every flush interval and when the scope
/// closes (so a step's lines are stored before the step's result is). Opened in one place per process kind: around
/// every pipeline activity, and around each request the trainer job handles.
/// </summary>
public sealed class RunLogScope : IAsyncDisposable
{
    private static readonly AsyncLocal<RunLogScope?> Ambient = new();

    private readonly RunLogScope? _outer;
    private readonly Lock _gate = new();
    private List<RunLogLine> _pending = [];
    private int _dropped;
    private RunLogSink? _sink;

    private RunLogScope(string runId, string model, string step, string source)
    {
        (RunId, Model, Step, Source, _outer) = (runId, model, step, source, Ambient.Value);
    }

    /// <summary>The innermost open scope on this async flow, if any.</summary>
    public static RunLogScope? Current => Ambient.Value;

    public string RunId { get; }

    public string Model { get; }

    public string Step { get; }

    public string Source { get; }

    /// <summary>Held while this scope's lines are appended.</summary>
    internal SemaphoreSlim Flushing { get; } = new(1, 1);

    /// <summary>Opens a scope on the caller's async flow (close it with <c>await using</c>).</summary>
    public static RunLogScope Begin(string runId, string model, string step, string source)
    {
        var scope = new RunLogScope(runId, model, step, source);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>Restores the outer scope at once; the returned task stores what is still buffered.</summary>
    public ValueTask DisposeAsync()
    {
        Ambient.Value = _outer;
        return _sink is { } sink ? new ValueTask(sink.CloseAsync(this)) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// The step's failure as an error line. Kept once the step has logged anything (that is when this scope learns its
    /// sink); every pipeline step logs before its main work, so a failure in that work is in the run's log.
    /// </summary>
    public void ReportFailure(Exception error) => _sink?.WriteFailure(this, error);

    internal void Add(RunLogLine line, RunLogSink sink, int maxPending)
    {
        lock (_gate)
        {
            _sink ??= sink;
            if (_pending.Count >= maxPending)
            {
                _dropped++;
                return;
            }

            _pending.Add(line);
        }
    }

    /// <summary>What was buffered since the last call, and how many lines did not fit the buffer.</summary>
    internal (List<RunLogLine> Lines, int Dropped) Take()
    {
        lock (_gate)
        {
            var taken = (_pending, _dropped);
            (_pending, _dropped) = ([], 0);
            return taken;
        }
    }
}
