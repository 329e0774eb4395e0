using Microsoft.Extensions.Logging;

namespace Serverless.Core.Runs;

/// <summary>What a run's log keeps (configuration section <see cref="Section"/>).</summary>
public sealed class RunLogOptions
{
    public const string Section = "RunLog";

    /// <summary>Entries below this level are not written to the run log (the host's own logging is unaffected).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    /// <summary>Only loggers whose category starts with one of these write to the run log (the platform's own, not the SDKs').</summary>
    public string[] Categories { get; set; } = ["Serverless."];

    /// <summary>A longer message is cut to this many characters (and says so).</summary>
    public int MaxLineChars { get; set; } = 2000;

    /// <summary>The log of one run stops growing at this size, for every writer together; a last line says so.</summary>
    public long MaxBytesPerRun { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often buffered lines of a running step are appended (one storage call per run per interval).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lines a step may buffer between flushes; more are counted and reported as dropped.</summary>
    public int MaxPendingLines { get; set; } = 5000;
}
