using Serverless.Cli;
using Spectre.Console;

namespace Serverless.Cli.Tests;

/// <summary>One in-process invocation of the tool: its exit code and what it wrote to the console, stdout and stderr.</summary>
public sealed record CliRun(int Code, string Console, string Out, string Error)
{
    /// <summary>Everything it wrote, for assertion messages.</summary>
    public override string ToString() => $"exit {Code}\n--- console\n{Console}\n--- stdout\n{Out}\n--- stderr\n{Error}";

    /// <summary>
    /// Runs the command tree with a plain (no colour, not interactive, 200 columns) console, the given environment
    /// variables only, and <paramref name="workingDirectory"/> as the current directory.
    /// </summary>
    public static async Task<CliRun> InvokeAsync(string workingDirectory, IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        var console = new StringWriter();
        var output = new StringWriter();
        var error = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(console),
        });
        ansi.Profile.Width = 200;
        var env = new CliEnvironment(ansi, output, error, name => variables?.GetValueOrDefault(name), workingDirectory, TimeProvider.System);
        var code = await CliCommandLine.Create(env).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = console, Error = error });
        return new CliRun(code, console.ToString(), output.ToString(), error.ToString());
    }
}
