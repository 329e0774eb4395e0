using Microsoft.Extensions.Logging;

namespace Serverless.Core.Runs;

/// <summary>The <see cref="RunLogLine.Level"/> names: <see cref="LogLevel"/> in lower case.</summary>
public static class RunLogLevels
{
    public const string Debug = "debug";
    public const string Information = "information";
    public const string Warning = "warning";
    public const string Error = "error";
    public const string Critical = "critical";

    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => Debug,
        LogLevel.Information => Information,
        LogLevel.Warning => Warning,
        LogLevel.Error => Error,
        _ => Critical,
    };
}
