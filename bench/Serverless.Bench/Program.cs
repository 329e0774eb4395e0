using System.Diagnostics;
using Serverless.Bench;
using Serverless.Local.Hosting;

// Areas run in this order under `all`; training first, so its runs warm the host the scoring area then uses.
string[] areas = ["training", "scoring", "orchestration", "drift"];
var mode = args.FirstOrDefault();

// Steady state, not start-up: the runtime moves hot methods to optimized (tier-1, PGO) code only after 100 ms without
// new tier-0 JIT work, and the host's background loops keep resetting that window, so for the first minute or so
// the scoring figures measured tier-0 code (in-process ratio 1.6× on a first pass, 1.15× on a second in the same
// process). The bench runs itself again with the delay off, the documented runtime knob for this.
const string TieringDelay = "DOTNET_TC_CallCountingDelayMs";
if (Environment.GetEnvironmentVariable(TieringDelay) is null)
{
    var self = Environment.ProcessPath!;
    var psi = Path.GetFileNameWithoutExtension(self) == "dotnet"
        ? new ProcessStartInfo(self, [typeof(Measurement).Assembly.Location, .. args])
        : new ProcessStartInfo(self, args);
    psi.UseShellExecute = false;
    psi.Environment[TieringDelay] = "0";
    using var steady = Process.Start(psi)!;
    await steady.WaitForExitAsync();
    return steady.ExitCode;
}

if (mode == OrchestrationBench.InMemoryChildMode) return await OrchestrationBench.InMemoryChildAsync();

// Writes a synthetic dataset of any size to disk (the 1M/10M-row and ≥ 2 GB cases of the size benchmarks).
if (mode == SyntheticDataset.Mode) return SyntheticDataset.Run(args[1..]);

// The ingest step's own process, for its peak RSS (started by the ingest area).
if (mode == IngestBench.ChildMode) return await IngestBench.ChildAsync(args[1..]);

// The scorer's dynamic batching: on vs off at 64 concurrent callers, in process and over HTTP to the scorer app.
if (mode == "batching") return await BatchingBench.RunAsync();
var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("Run from the repository (package.json not found).");

// Holdout AUC of LightGBM with native categorical splits off vs on (what the platform trains and exports).
if (mode == CategoricalSplitBench.Mode)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = CategoricalSplitBench.Run(root);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Multi-replica MLP training: N = 1, 2, 4 trainer processes exchanging gradients through a private Azurite.
if (mode == DataParallelBench.Mode)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = await DataParallelBench.RunAsync();
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Exact TreeSHAP vs scoring on the churn champion.
if (mode == ExplainBench.Mode)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = await ExplainBench.RunAsync(root);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Issue 13's sweep table: default LightGBM, scikit-learn defaults and the sweep on four datasets (`sweep [churn|multiclass|regression|1m ...]`).
if (mode == SweepBench.Mode)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = await SweepBench.RunAsync(root, args[1..]);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Bounded-memory ingest on 1M and 10M rows and a ≥ 2 GB CSV (`ingest [DIR [contract|1M|10M|≥]]`).
if (mode == IngestBench.Area)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    Console.WriteLine($"1-minute load average {load} on {Environment.ProcessorCount} cores.");
    var measured = await IngestBench.RunAsync(args[1..]);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// A 1M-row file through the batch scoring orchestration vs ModelServer.Predict in process (`batch [ROWS [DIR]]`).
if (mode == BatchScoringBench.Area)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    Console.WriteLine($"1-minute load average {load} on {Environment.ProcessorCount} cores.");
    var measured = await BatchScoringBench.RunAsync(args[1..]);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Feature store: point-in-time join (`features [LABEL_ROWS]`, default 10M) and online lookup latency on Azurite.
if (mode == FeaturesBench.Area)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = await FeaturesBench.RunAsync(args[1..]);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// Hand-written code against libraries that do the same (bench/LIBRARIES.md); `libraries csv|azure|cli` runs one part.
if (mode == LibrariesBench.Mode)
{
    var started = Stopwatch.StartNew();
    var load = ResultsReport.LoadAverage();
    var measured = LibrariesBench.Run(root, args[1..]);
    ResultsReport.Print(measured);
    ResultsReport.Write(root, mode, measured, started.Elapsed, load);
    return 0;
}

// The HTTP limit and memory-under-load rows of the scoring area alone, for A/B runs of runtime settings
// (DOTNET_gcServer, DOTNET_GCgen0size, …) without the rest of the area; writes bench/results/scoring-http.*.
// training-10m: 10M rows through the trainer-job path (slow: run on its own; `training` covers 1M rows).
if (mode != "all" && !areas.Contains(mode) && mode != ScoringBench.HttpMode && mode != TrainingSizeBench.TenMillionMode && mode != ReleaseBench.Mode) return Usage();
var selected = mode == "all" ? areas : [mode!];
var results = new List<Measurement>();
var sw = Stopwatch.StartNew();
var loadAtStart = ResultsReport.LoadAverage();
Console.WriteLine($"1-minute load average {loadAtStart} on {Environment.ProcessorCount} cores (figures are only comparable on an otherwise idle machine).");
var needsHost = selected.Any(a => a != "drift");
var data = selected.Any(a => a is "training" or "scoring" or ScoringBench.HttpMode or ReleaseBench.Mode) ? ChurnData.Load(root) : null;
await using (var platform = needsHost ? await BenchPlatform.StartAsync() : null)
{
    foreach (var area in selected)
    {
        results.AddRange(area switch
        {
            "training" => await TrainingBench.RunAsync(platform!, data!),
            "scoring" => await ScoringBench.RunAsync(platform!, data!),
            ScoringBench.HttpMode => await ScoringBench.RunHttpAsync(platform!, data!),
            "orchestration" => await OrchestrationBench.RunAsync(platform!),
            TrainingSizeBench.TenMillionMode => await TrainingSizeBench.TenMillionAsync(platform!),
            ReleaseBench.Mode => await ReleaseBench.RunAsync(platform!, data!),
            _ => DriftBench.Run(),
        });
    }
}

ResultsReport.Print(results);
ResultsReport.Write(root, mode!, results, sw.Elapsed, loadAtStart);
return 0;

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Serverless.Bench -- all|training|training-10m|scoring|scoring-http|release|orchestration|drift|batching|categorical-split|data-parallel|explain|sweep [DATASET...]|features [ROWS]|libraries [csv|azure|cli]|ingest [DIR]|batch [ROWS [DIR]]|generate ROWS DIR [SEED]");
    return 2;
}
