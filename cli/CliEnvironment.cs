using Spectre.Console;

namespace Serverless.Cli;

/// <summary>
/// Where the tool writes and what it reads from its surroundings: the process's console and environment, or a test's
/// writers and variables when the command tree runs in-process.
/// </summary>
/// <param name="Console">Human output: tables, progress, step lines.</param>
/// <param name="Out">Machine output (<c>--json</c>) and CSV written to stdout.</param>
/// <param name="Error">Problems, one per line.</param>
/// <param name="Variable">Reads an environment variable (MLOPS_API_KEY).</param>
/// <param name="WorkingDirectory">Where relative paths and the search for <c>.local/*.key</c> start.</param>
public sealed record CliEnvironment(IAnsiConsole Console, TextWriter Out, TextWriter Error, Func<string, string?> Variable, string WorkingDirectory, TimeProvider Time)
{
    public static CliEnvironment FromProcess() => new(
        AnsiConsole.Console,
        System.Console.Out,
        System.Console.Error,
        Environment.GetEnvironmentVariable,
        Directory.GetCurrentDirectory(),
        TimeProvider.System);

    /// <summary>A path from the command line, relative to <see cref="WorkingDirectory"/>.</summary>
    public string PathOf(string path) => Path.GetFullPath(path, WorkingDirectory);
}
