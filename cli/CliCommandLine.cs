using System.CommandLine;
using Serverless.Cli.Api;
using Serverless.Cli.Commands;

namespace Serverless.Cli;

/// <summary>
/// The tool's command tree: <c>init</c>, <c>push</c>, <c>runs</c>, <c>models</c>, <c>predict</c>, <c>explain</c>,
/// <c>drift</c>, <c>quality</c> and <c>release</c>, over the platform's public HTTP API. Tests build it with their own environment
/// and invoke it in-process.
/// </summary>
public static class CliCommandLine
{
    public static RootCommand Create(CliEnvironment env)
    {
        var g = new GlobalOptions();
        var root = new RootCommand("mlops: the Serverless MLOps platform from a terminal (local host or Azure).")
        {
            InitCommand.Create(g, env),
            PushCommand.Create(g, env),
            RunsCommand.Create(g, env),
            ModelsCommand.Create(g, env),
            PredictCommand.Create(g, env),
            ExplainCommand.Create(g, env),
            DriftCommand.Create(g, env),
            QualityCommand.Create(g, env),
            ReleaseCommand.Create(g, env),
        };
        g.AddTo(root);
        return root;
    }

    public static Task<int> InvokeAsync(RootCommand command, string[] args) => command.Parse(args).InvokeAsync();

    /// <summary>Runs one command's work with the global options, turning API and input errors into messages and exit codes.</summary>
    public static void SetAction(this Command command, GlobalOptions g, CliEnvironment env, Func<ParseResult, CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (p, ct) =>
        {
            try
            {
                using var context = g.ContextFor(p, env);
                return await action(p, context, ct).ConfigureAwait(false);
            }
            catch (ApiProblemException e)
            {
                await env.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                foreach (var line in e.Lines())
                {
                    await env.Error.WriteLineAsync($"  {line}").ConfigureAwait(false);
                }

                return CliExitCodes.ApiError;
            }
            catch (CliInputException e)
            {
                await env.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return CliExitCodes.InvalidInput;
            }
        });
}
