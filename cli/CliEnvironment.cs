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
        WithColumns(AnsiConsole.Console, Environment.GetEnvironmentVariable("COLUMNS")),
        System.Console.Out,
        System.Console.Error,
        Environment.GetEnvironmentVariable,
        Directory.GetCurrentDirectory(),
        TimeProvider.System);

    /// <summary>
    /// Spectre draws a redirected console (a pipe, a CI log) 80 columns wide and ignores <c>COLUMNS</c>, so tables of
    /// long metric lists wrap into unreadable cells; an explicit <c>COLUMNS</c> (POSIX: the user's preferred width) wins.
    /// </summary>
    public static IAnsiConsole WithColumns(IAnsiConsole console, string? columns)
    {
        if (int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width) && width is >= 40 and <= 1000)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    /// <summary>A path from the command line, relative to <see cref="WorkingDirectory"/>.</summary>
    public string PathOf(string path) => Path.GetFullPath(path, WorkingDirectory);
}
