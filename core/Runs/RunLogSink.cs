using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Runs;

/// <summary>
/// A logging provider that copies what the platform logs inside a <see cref="RunLogScope"/> into that run's
/// <see cref="RunLog"/>: <see cref="RunLogOptions.MinimumLevel"/> and above, from the <see cref="RunLogOptions.Categories"/>
/// only. Lines are batched per scope and appended every <see cref="RunLogOptions.FlushInterval"/> and when the scope
/// closes, never one storage call per line. Storage failures lose lines, never fail the step that logged them.
/// </summary>
public sealed class RunLogSink : ILoggerProvider
{
    private readonly IServiceProvider _services;
    private readonly RunLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<RunLogScope, byte> _open = new();
    private readonly ITimer _timer;
    private RunLog? _log;
    private int _ticking;

    /// <param name="services">Where <see cref="RunLog"/> is resolved on first use (logging is built before storage is).</param>
    public RunLogSink(IServiceProvider services, IOptions<RunLogOptions> options, TimeProvider time)
    {
        (_services, _options, _time) = (services, options.Value, time);
        // The timer's callbacks must not run inside whichever run scope happened to create it.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(_ => Tick(), null, _options.FlushInterval, _options.FlushInterval);
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        _options.Categories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)) ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose() => _timer.Dispose();

    /// <summary>Stores what the closing scope still buffers.</summary>
    internal async Task CloseAsync(RunLogScope scope)
    {
        _open.TryRemove(scope, out _);
        await FlushAsync(scope, CancellationToken.None).ConfigureAwait(false);
    }

    internal void WriteFailure(RunLogScope scope, Exception error) =>
        scope.Add(new RunLogLine(_time.GetUtcNow(), RunLogLevels.Error, scope.Step, $"The {scope.Step} step failed: {error.GetType().Name}: {error.Message}", scope.Source), this, _options.MaxPendingLines);

    private bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= _options.MinimumLevel && RunLogScope.Current is not null;

    private void Write(LogLevel level, string message, Exception? exception)
    {
        if (RunLogScope.Current is not { } scope) return;
        if (exception is not null) message = $"{message} ({exception.GetType().Name}: {exception.Message})";
        _open.TryAdd(scope, 0);
        scope.Add(new RunLogLine(_time.GetUtcNow(), RunLogLevels.Of(level), scope.Step, message, scope.Source), this, _options.MaxPendingLines);
    }

    private void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return;
        _ = FlushOpenAsync();
    }

    private async Task FlushOpenAsync()
    {
        try
        {
            await Task.WhenAll(_open.Keys.Select(s => FlushAsync(s, CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private async Task FlushAsync(RunLogScope scope, CancellationToken ct)
    {
        // One flush per scope at a time, so a scope's batches are appended in the order they were logged.
        await scope.Flushing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (lines, dropped) = scope.Take();
            if (dropped > 0)
            {
                lines.Add(new RunLogLine(_time.GetUtcNow(), RunLogLevels.Warning, scope.Step,
                    $"{dropped} log lines were not kept: more than {_options.MaxPendingLines} waited for one flush ({RunLogOptions.Section}:{nameof(RunLogOptions.MaxPendingLines)}).", scope.Source));
            }

            if (lines.Count == 0) return;
            _log ??= _services.GetRequiredService<RunLog>();
            await _log.AppendAsync(scope.Model, scope.RunId, lines, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage unreachable: these lines are lost; the step itself carries on (its own logging still has them).
        }
        finally
        {
            scope.Flushing.Release();
        }
    }

    private sealed class Logger(RunLogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => sink.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (sink.IsEnabled(logLevel)) sink.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
