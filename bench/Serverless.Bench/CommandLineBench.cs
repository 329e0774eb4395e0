using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Serverless.Bench;

/// <summary>
/// The argument handling of local/Program.cs and containers/trainer/Program.cs (+ MlpBench.Run) against the same
/// surfaces declared with System.CommandLine 3.0.0. Ours is reproduced expression for expression (the programs are
/// top-level statements), up to the point where the host takes the remaining arguments as configuration
/// (WebApplication/Host builders add them with AddCommandLine, so that step is run for real).
/// </summary>
internal static class CommandLineBench
{
    private const string Area = "libraries/command-line";

    public static (List<Measurement> Results, string Report) Run()
    {
        string[][] local =
        [
            [],
            ["demo"],
            ["generate-sample"],
            ["generate-sample", "1000000"],
            ["generate-sample", "abc"],
            ["generate-sample", "-5"],
            ["generate-sample", "0"],
            ["generate-sample", "10", "20"],
            ["--urls", "http://127.0.0.1:7071"],
            ["demo", "--Platform:Storage=UseDevelopmentStorage=true"],
            ["--urls", "http://127.0.0.1:7071", "demo"],
            ["--help"],
            ["-h"],
            ["generate-sampel", "10"],
            ["--frobnicate"],
        ];
        string[][] trainer =
        [
            ["--bench"],
            ["--bench", "200000", "3"],
            ["--bench", "x"],
            ["--bench", "100", "2", "9"],
            ["--Trainer:ExitWhenIdle=true"],
            ["--help"],
        ];

        var sb = new StringBuilder();
        sb.AppendLine("| program | arguments | ours | System.CommandLine 3.0.0 |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var a in local) sb.AppendLine($"| local | `{string.Join(' ', a)}` | {Cell(OursLocal(a))} | {Cell(Invoke(LocalCommand(), a))} |");
        foreach (var a in trainer) sb.AppendLine($"| trainer | `{string.Join(' ', a)}` | {Cell(OursTrainer(a))} | {Cell(Invoke(TrainerCommand(), a))} |");
        sb.AppendLine();
        sb.AppendLine("System.CommandLine `--help` for the local host:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(Invoke(LocalCommand(), ["--help"]).Trim());
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("System.CommandLine for `generate-sample abc`:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(Invoke(LocalCommand(), ["generate-sample", "abc"]).Trim());
        sb.AppendLine("```");
        Console.WriteLine(sb);
        return ([new Measurement(Area, "surfaces compared", local.Length + trainer.Length, " argument lists")], sb.ToString());
    }

    // ---- ours, as the programs read their arguments today ----

    private static string OursLocal(string[] args)
    {
        try
        {
            if (args is ["generate-sample", ..])
            {
                var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;

                // Generating for real only where it is cheap: what a zero or negative count does.
                if (rows < 1) _ = Serverless.Local.Demo.ChurnSample.GenerateCsv(rows);
                return $"exit 0: writes {rows} rows";
            }

            var demo = args.Contains("demo");
            return Host(args.Where(a => a != "demo").ToArray(), demo ? "demo on the host" : "host");
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name}: {e.Message} (stack trace, exit code 134)";
        }
    }

    private static string OursTrainer(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "--bench")
            {
                var rest = args[1..];
                var rows = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1_000_000;
                var epochs = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 2;
                return $"exit 0: MLP bench {rows} rows × {epochs} epochs";
            }

            return Host(args, "trainer worker");
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name}: {e.Message} (stack trace, exit code 134)";
        }
    }

    /// <summary>What the host builder does with the arguments: command-line configuration.</summary>
    private static string Host(string[] args, string what)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).Build();
        var keys = config.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        return $"runs the {what}" + (keys.Count > 0 ? $" with configuration {string.Join(", ", keys)}" : string.Empty);
    }

    // ---- the same surfaces with System.CommandLine ----

    private static RootCommand LocalCommand()
    {
        var rows = new Argument<int>("rows") { Description = "Rows to generate.", DefaultValueFactory = _ => 50_000 };
        // A validator also runs when conversion failed, and GetValueOrDefault then throws: look at the token instead.
        rows.Validators.Add(r =>
        {
            if (r.Tokens is [{ } t] && int.TryParse(t.Value, CultureInfo.InvariantCulture, out var n) && n < 1) r.AddError("rows must be at least 1.");
        });
        var generate = new Command("generate-sample", "Rewrite samples/churn/churn.csv with generated churn rows.") { rows };
        generate.SetAction(p => Say(p, $"writes {p.GetValue(rows)} rows"));
        var demo = new Command("demo", "Run the churn sample end to end on the local platform, then keep serving.");
        demo.TreatUnmatchedTokensAsErrors = false;
        demo.SetAction(p => Say(p, HostWith(p, "demo on the host")));
        var root = new RootCommand("Serverless MLOps platform, local host (Azurite, durable pipeline, scoring API). Other arguments are host configuration, e.g. --urls or --Section:Key=value.")
        {
            generate, demo,
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(p => Say(p, HostWith(p, "host")));
        return root;
    }

    private static RootCommand TrainerCommand()
    {
        var rows = new Argument<int>("rows") { Description = "Synthetic rows.", DefaultValueFactory = _ => 1_000_000 };
        var epochs = new Argument<int>("epochs") { Description = "Epochs to time.", DefaultValueFactory = _ => 2 };
        var bench = new Command("--bench", "Time the MLP on synthetic data, CUDA vs plain C#.") { rows, epochs };
        bench.SetAction(p => Say(p, $"MLP bench {p.GetValue(rows)} rows × {p.GetValue(epochs)} epochs"));
        var root = new RootCommand("GPU trainer: drains gpu-training-requests, then exits when idle. Other arguments are host configuration.") { bench };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(p => Say(p, HostWith(p, "trainer worker")));
        return root;
    }

    private static string HostWith(ParseResult p, string what) => Host(p.UnmatchedTokens.ToArray(), what);

    private static int Say(ParseResult p, string text)
    {
        p.InvocationConfiguration.Output.WriteLine("exit 0: " + text);
        return 0;
    }

    private static string Invoke(RootCommand command, string[] args)
    {
        var output = new StringWriter();
        var code = command.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        var text = output.ToString();
        return text.StartsWith("exit 0: ", StringComparison.Ordinal) ? text.Trim() : $"exit {code}: {text.Trim()}";
    }

    private static string Cell(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var t = string.Join(" ⏎ ", lines.Take(3)) + (lines.Length > 3 ? $" ⏎ … ({lines.Length} lines)" : string.Empty);
        t = t.Replace("|", "\\|", StringComparison.Ordinal);
        return t.Length > 220 ? t[..220] + "…" : t;
    }
}
