using System.CommandLine;
using System.Globalization;

namespace Serverless.Trainer;

/// <summary>What the trainer's commands do: replaced by recorders in tests, which parse without starting anything.</summary>
/// <param name="Bench">Times the MLP on this many synthetic rows, epochs and (at most) replicas; returns the exit code.</param>
/// <param name="RunWorker">Runs the worker host with these configuration arguments; returns the exit code.</param>
public sealed record TrainerCommandActions(Func<int, int, int, int> Bench, Func<string[], CancellationToken, Task<int>> RunWorker);

/// <summary>
/// The trainer's command line: <c>--bench [ROWS] [EPOCHS] [REPLICAS]</c> (bench/gpu/run.sh), else the worker, with every other
/// argument (<c>--Trainer:ExitWhenIdle=true</c>) passed to the host as configuration.
/// </summary>
public static class TrainerCommandLine
{
    public static RootCommand Create(TrainerCommandActions actions)
    {
        var rows = AtLeastOne(new Argument<int>("rows") { Description = "Synthetic rows.", DefaultValueFactory = _ => MlpBench.DefaultRows });
        var epochs = AtLeastOne(new Argument<int>("epochs") { Description = "Epochs to time.", DefaultValueFactory = _ => MlpBench.DefaultEpochs });
        var replicas = AtLeastOne(new Argument<int>("replicas") { Description = "Also time 2, 4, … up to this many replicas as threads against one.", DefaultValueFactory = _ => MlpBench.DefaultReplicas });
        var bench = new Command("--bench", "Time the MLP on synthetic data, CUDA vs plain C#.") { rows, epochs, replicas };
        bench.SetAction(p => actions.Bench(p.GetValue(rows), p.GetValue(epochs), p.GetValue(replicas)));
        var root = new RootCommand("GPU trainer: drains gpu-training-requests, then exits when idle. Other arguments are host configuration.") { bench };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((p, ct) => actions.RunWorker([.. p.UnmatchedTokens], ct));
        return root;
    }

    /// <summary>Parses and runs; SIGTERM (a job's stop) is left to the host's lifetime (<c>ProcessTerminationTimeout = null</c>).</summary>
    public static Task<int> InvokeAsync(RootCommand command, string[] args) =>
        command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

    private static Argument<int> AtLeastOne(Argument<int> argument)
    {
        // Validators also run after a failed conversion (where reading the value throws): look at the token instead.
        argument.Validators.Add(r =>
        {
            if (r.Tokens is [{ } t] && int.TryParse(t.Value, CultureInfo.InvariantCulture, out var n) && n < 1)
            {
                r.AddError($"{argument.Name} must be at least 1 (got {n}).");
            }
        });
        return argument;
    }
}
