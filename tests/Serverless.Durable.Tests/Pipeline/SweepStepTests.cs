using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Tests;

/// <summary>
/// The sweep step's control flow on the in-memory backend, with scripted activities under the real names: a trial
/// "scores" its learning rate, so the winner is known in advance.
/// </summary>
public sealed class SweepStepTests
{
    private static readonly PipelineInput Input = new("run-1", "m", new string('a', 64), "f.csv", DateTimeOffset.UnixEpoch, "m/incoming/f.csv");

    private static ModelSpec Spec(SearchStrategy strategy = SearchStrategy.Random, int trials = 10, int concurrency = 3) => new()
    {
        Task = ModelTask.Binary,
        Label = "churned",
        Features = [new FeatureSpec("tenure", FeatureType.Numeric)],
        Trainer = new TrainerSpec(Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 27, ["numberOfLeaves"] = 31 }),
        Search = new SearchSpec
        {
            Space = new Dictionary<string, SearchDimension> { ["learningRate"] = new(SearchDistribution.Uniform, Min: 0.01, Max: 0.5) },
            Trials = trials,
            Concurrency = concurrency,
            Strategy = strategy,
            MinResource = 3,
            Seed = 9,
        },
    };

    private sealed class Script
    {
        public ModelSpec Spec = SweepStepTests.Spec();
        public bool Remote;
        public int FailingTrial = -1;
        public int InFlight;
        public int MaxInFlight;
        public readonly ConcurrentQueue<(int Trial, int Rung)> Started = new();
        public ModelSpec? Trained;
        public ModelSpec? Registered;
        public SweepResult? Recorded;
        public DurableTaskClient? Client;
    }

    /// <summary>The trainer job's answer, as the relay raises it: a trial's score under its own event (twice: a redelivered message answers again).</summary>
    private static void AnswerLater(Script script, string instanceId, string name, GpuTrainingResult result) => _ = Task.Run(async () =>
    {
        await Task.Delay(20);
        Interlocked.Decrement(ref script.InFlight);
        await script.Client!.RaiseEventAsync(instanceId, name, result);
        if (result.Trial is not null) await script.Client.RaiseEventAsync(instanceId, name, result);
    });

    private static async Task<OrchestrationMetadata> RunAsync(Script script)
    {
        await using var host = await StartHostAsync(r =>
        {
            r.AddOrchestratorFunc<PipelineInput, PipelineResult>(TrainingPipeline.Name, TrainingPipeline.RunAsync);
            r.AddActivityFunc<PipelineInput, IngestOutcome>(IngestDataset.Name, (_, _) =>
                new IngestOutcome(true, "accepted", 100, 0, "processed/m/a/report.json", null, script.Remote, null, script.Spec));
            r.AddActivityFunc<TrialRequest, TrialScore>(RunSweepTrial.Name, async (_, request) =>
            {
                script.Started.Enqueue((request.Trial, request.Rung));
                var now = Interlocked.Increment(ref script.InFlight);
                InterlockedMax(ref script.MaxInFlight, now);
                try
                {
                    // Gives other dispatched trials the chance to overlap with this one (what the bound is checked against).
                    await Task.Yield();
                    await Task.Delay(20);
                    if (request.Trial == script.FailingTrial)
                    {
                        throw new IOException("storage down");
                    }

                    var trees = request.Parameters.GetValueOrDefault(SearchSpec.Resource, 27);
                    return new TrialScore(request.Trial, request.Rung, request.Parameters["learningRate"] * trees / 27, 0.1);
                }
                finally
                {
                    Interlocked.Decrement(ref script.InFlight);
                }
            });
            r.AddActivityFunc<SweepRecordRequest, bool>(RecordSweep.Name, (_, request) => { script.Recorded = request.Result; return true; });
            r.AddActivityFunc<TrainRequest, TrainOutcome>(TrainCandidate.Name, (_, request) =>
            {
                script.Trained = request.Spec;
                return new TrainOutcome(80, 20, 0.5, new Dictionary<string, string>());
            });
            r.AddActivityFunc<TrialRequest, bool>(DispatchSweepTrial.Name, (ctx, request) =>
            {
                script.Started.Enqueue((request.Trial, request.Rung));
                InterlockedMax(ref script.MaxInFlight, Interlocked.Increment(ref script.InFlight));
                var score = new TrialScore(request.Trial, request.Rung, request.Parameters["learningRate"], 0.1, Where: TrainingPlacement.Job, Device: "cuda");
                AnswerLater(script, ctx.InstanceId, GpuQueues.TrialEvent(request.Trial, request.Rung), new GpuTrainingResult(Input.RunId, Input.Model, true, null, null, score));
                return true;
            });
            r.AddActivityFunc<TrainRequest, bool>(DispatchGpuTraining.Name, (ctx, request) =>
            {
                script.Trained = request.Spec;
                Interlocked.Increment(ref script.InFlight);
                AnswerLater(script, ctx.InstanceId, GpuQueues.ResultEvent, new GpuTrainingResult(Input.RunId, Input.Model, true, null, new TrainingRecord(80, 20, 0.5, new Dictionary<string, string>(), null)));
                return true;
            });
            r.AddActivityFunc<EvaluateRequest, EvaluationOutcome>(EvaluateCandidate.Name, (_, _) =>
                new EvaluationOutcome(true, new Dictionary<string, double> { ["auc"] = 0.9 }, null, null, "runs/m/run-1/gate.json", [], null));
            r.AddActivityFunc<RegisterRequest, int>(RegisterModel.Name, (_, request) => { script.Registered = request.Spec; return 1; });
            r.AddActivityFunc<PromoteRequest, PromoteOutcome>(PromoteModel.Name, (_, request) => new PromoteOutcome(true, request.Version, "champion → 1"));
        });

        script.Client = host.Client;
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, Input);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    [Fact]
    public async Task Trials_fan_out_within_the_concurrency_and_train_refits_the_best()
    {
        var script = new Script();
        var meta = await RunAsync(script);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(10, script.Started.Count);
        Assert.InRange(script.MaxInFlight, 1, 3);

        var result = meta.ReadOutputAs<PipelineResult>()!;
        var sweep = result.Sweep!;
        var expected = Enumerable.Range(0, 10).Select(i => TrialSampler.Sample(script.Spec.Search!, i)).ToList();
        Assert.Equal(expected.Select(p => p["learningRate"]), sweep.Trials.Select(t => t.Parameters["learningRate"]));
        var bestRate = expected.Max(p => p["learningRate"]);
        Assert.Equal(bestRate, sweep.Summary.BestMetric, 1e-12); // the script scores rate × 27 / 27

        // The train step gets the run's spec with the winner's learning rate and its own other hyperparameters.
        Assert.Equal(bestRate, script.Trained!.Trainer.Get("learningRate"));
        Assert.Equal(31, script.Trained.Trainer.Get("numberOfLeaves"));
        Assert.Equal(sweep.Summary.BestTrial, script.Recorded!.Summary.BestTrial);

        // Registration records the spec as declared (its hash goes on the card); the fit's parameters come from training.
        Assert.Equal(ModelSpecStore.Hash(script.Spec), ModelSpecStore.Hash(script.Registered!));

        var progress = meta.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal([PipelineSteps.Ingest, PipelineSteps.Sweep, PipelineSteps.Train, PipelineSteps.Evaluate, PipelineSteps.Register, PipelineSteps.Promote], progress.Steps.Select(s => s.Step));
        Assert.StartsWith("random: 10 completed, 0 stopped early, 0 failed; best trial ", progress.Steps.Single(s => s.Step == PipelineSteps.Sweep).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asha_rungs_are_waves_and_promote_the_best_third()
    {
        var script = new Script { Spec = Spec(SearchStrategy.Asha, trials: 9, concurrency: 4) };
        var meta = await RunAsync(script);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);

        // A rung starts only once the one before is in: 9 trials at 3 trees, 3 at 9, 1 at 27.
        var rungs = script.Started.Select(s => s.Rung).ToList();
        Assert.Equal(rungs.Order(), rungs);
        Assert.Equal([9, 3, 1], rungs.GroupBy(r => r).Select(g => g.Count()));

        var rates = Enumerable.Range(0, 9).Select(i => TrialSampler.Sample(script.Spec.Search!, i)["learningRate"]).ToList();
        var top3 = rates.Select((r, i) => (r, i)).OrderByDescending(x => x.r).Take(3).Select(x => x.i).Order();
        Assert.Equal(top3, script.Started.Where(s => s.Rung == 1).Select(s => s.Trial).Order());
        var sweep = meta.ReadOutputAs<PipelineResult>()!.Sweep!;
        Assert.Equal(rates.IndexOf(rates.Max()), sweep.Summary.BestTrial);
        Assert.Equal(27, sweep.Summary.BestParameters[SearchSpec.Resource]);
        Assert.Equal(27, script.Trained!.Trainer.Get(SearchSpec.Resource));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_trial_whose_activity_keeps_failing_is_a_failed_row_not_a_failed_run()
    {
        var script = new Script { Spec = Spec(trials: 4, concurrency: 4), FailingTrial = 1 };
        var meta = await RunAsync(script);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        var sweep = meta.ReadOutputAs<PipelineResult>()!.Sweep!;
        var failed = Assert.Single(sweep.Trials, t => t.Status == TrialStatuses.Failed);
        Assert.Equal(1, failed.Trial);
        Assert.Contains("storage down", failed.Error, StringComparison.Ordinal);
        Assert.NotEqual(1, sweep.Summary.BestTrial);
        Assert.Equal(3 + 3, script.Started.Count); // the failing trial's three attempts
    }

    [Fact]
    public async Task A_run_placed_on_the_trainer_job_dispatches_each_trial_and_waits_for_its_event_within_the_concurrency()
    {
        var script = new Script { Spec = Spec(SearchStrategy.Asha, trials: 9, concurrency: 2), Remote = true };
        var meta = await RunAsync(script);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(9 + 3 + 1, script.Started.Count);
        Assert.InRange(script.MaxInFlight, 1, 2);
        var rungs = script.Started.Select(s => s.Rung).ToList();
        Assert.Equal(rungs.Order(), rungs);

        // One row per trial although every answer came twice; each says where it ran; the job refits the winner.
        var sweep = meta.ReadOutputAs<PipelineResult>()!.Sweep!;
        Assert.Equal(9, sweep.Trials.Count);
        Assert.All(sweep.Trials.SelectMany(t => t.Rungs), r => Assert.Equal((TrainingPlacement.Job, "cuda"), (r.Where, r.Device)));
        Assert.Equal(TrainingPlacement.Job, sweep.Summary.Where);
        Assert.Equal(sweep.Summary.BestParameters["learningRate"], script.Trained!.Trainer.Get("learningRate"));
        Assert.Equal(27, script.Trained.Trainer.Get(SearchSpec.Resource));
        Assert.EndsWith("; trials on the job", meta.ReadCustomStatusAs<RunProgress>()!.Steps.Single(s => s.Step == PipelineSteps.Sweep).Detail, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task<DurableTaskTestHost> StartHostAsync(Action<DurableTaskRegistry> tasks)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(tasks, new DurableTaskTestHostOptions { Port = FreePort() });
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
