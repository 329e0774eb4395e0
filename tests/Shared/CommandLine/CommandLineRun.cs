using System.CommandLine;

namespace Serverless.Tests.Shared;

/// <summary>Parses and invokes a program's command tree in-process, capturing what it writes (help, errors).</summary>
public static class CommandLineRun
{
    public static async Task<(int Code, string Output)> InvokeAsync(RootCommand command, string[] args)
    {
        var output = new StringWriter();
        var code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }
}
