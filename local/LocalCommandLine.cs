using System.CommandLine;
using System.Globalization;
using Serverless.Local.Demo;
using Serverless.Local.Hosting;

namespace Serverless.Local;

/// <summary>What the local host's commands do: replaced by recorders in tests, which parse without starting anything.</summary>
/// <param name="GenerateSample">Rewrites the churn sample with this many rows; returns the exit code.</param>
/// <param name="RunHost">Runs the host with these configuration arguments, the demo of that sample on top when one is given; returns the exit code.</param>
public sealed record LocalCommandActions(
    Func<int, CancellationToken, Task<int>> GenerateSample,
    Func<string[], DemoSample?, CancellationToken, Task<int>> RunHost);

/// <summary>
/// The local host's command line: <c>generate-sample [ROWS]</c>, <c>demo</c>, <c>demo accounts</c>, or nothing; every argument no command
/// claims (<c>--urls …</c>, <c>--Section:Key=value</c>) is host configuration and passes through untouched.
/// </summary>
public static class LocalCommandLine
{
    public const int DefaultSampleRows = 50_000;

    public static RootCommand Create() => Create(new LocalCommandActions(GenerateSampleAsync, RunHostAsync));

    public static RootCommand Create(LocalCommandActions actions)
    {
        var rows = new Argument<int>("rows") { Description = "Rows to generate.", DefaultValueFactory = _ => DefaultSampleRows };
        // A validator also runs after a failed conversion (where reading the value throws): look at the token instead.
        rows.Validators.Add(r =>
        {
            if (r.Tokens is [{ } t] && int.TryParse(t.Value, CultureInfo.InvariantCulture, out var n) && n < 1)
            {
                r.AddError($"rows must be at least 1 (got {n}).");
            }
        });
        var generate = new Command("generate-sample", "Rewrite samples/churn/churn.csv with generated churn rows.") { rows };
        generate.SetAction(async (p, ct) =>
        {
            if (p.UnmatchedTokens.Count > 0)
            {
                await p.InvocationConfiguration.Error.WriteLineAsync($"generate-sample takes one argument (rows); unexpected: {string.Join(' ', p.UnmatchedTokens)}").ConfigureAwait(false);
                return 1;
            }

            return await actions.GenerateSample(p.GetValue(rows), ct).ConfigureAwait(false);
        });

        var demo = new Command("demo", "Run the churn sample end to end on the local platform, then keep serving.") { TreatUnmatchedTokensAsErrors = false };
        demo.SetAction((p, ct) => actions.RunHost([.. p.UnmatchedTokens], DemoSample.Churn, ct));
        var accounts = new Command("accounts", "Run the two-view feature store sample (samples/accounts): train on customer_profile and customer_usage, materialize, score by customer id; then keep serving.") { TreatUnmatchedTokensAsErrors = false };
        accounts.SetAction((p, ct) => actions.RunHost([.. p.UnmatchedTokens], DemoSample.Accounts, ct));
        demo.Subcommands.Add(accounts);

        var root = new RootCommand("Serverless MLOps platform, local host (Azurite, durable pipeline, scoring API). Other arguments are host configuration, e.g. --urls or --Section:Key=value.")
        {
            generate,
            demo,
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((p, ct) => actions.RunHost([.. p.UnmatchedTokens], null, ct));
        return root;
    }

    /// <summary>
    /// Parses and runs. System.CommandLine does not handle SIGINT/SIGTERM (<c>ProcessTerminationTimeout = null</c>):
    /// the host's console lifetime does, with its own graceful shutdown (the library's default gives up after 2 s).
    /// </summary>
    public static Task<int> InvokeAsync(RootCommand command, string[] args) =>
        command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

    private static async Task<int> GenerateSampleAsync(int rows, CancellationToken ct)
    {
        var path = Path.Combine(RepositoryRoot.Find() ?? ".", "samples", DemoRunner.Model, "churn.csv");
        await File.WriteAllTextAsync(path, ChurnSample.GenerateCsv(rows), ct).ConfigureAwait(false);
        Console.WriteLine($"Wrote {rows} rows to {path}");
        return 0;
    }

    private static async Task<int> RunHostAsync(string[] hostArgs, DemoSample? demo, CancellationToken ct)
    {
        var app = await LocalPlatform.BuildAsync(LocalPlatform.CreateBuilder(hostArgs)).ConfigureAwait(false);
        if (demo is null)
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }

        await app.StartAsync(ct).ConfigureAwait(false);
        var code = demo == DemoSample.Accounts
            ? await AccountsDemo.RunAsync(app, app.Lifetime.ApplicationStopping).ConfigureAwait(false)
            : await DemoRunner.RunAsync(app, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        if (code == 0)
        {
            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }
        else
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return code;
    }
}
