using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Core.Training.Remote;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Tests;

/// <summary>
/// The orchestration's control flow on the in-memory backend, with scripted activities registered under the real
/// names: retries, early exit on quarantine, gate failure, and a failing step's status.
/// </summary>
public sealed class TrainingPipelineTests
{
    private static readonly PipelineInput Input = new("run-1", "m", new string('a', 64), "f.csv", DateTimeOffset.UnixEpoch, "m/incoming/f.csv");

    private static readonly TrainOutcome Trained = new(80, 20, 0.5, new Dictionary<string, string>());

    private static readonly ModelSpec Spec = new() { Task = ModelTask.Binary, Label = "churned", Features = [new FeatureSpec("tenure", FeatureType.Numeric)] };

    private sealed class Script
    {
        public int IngestCalls;
        public int TrainCalls;
        public int RegisterCalls;
        public int PromoteCalls;
        public bool Accept = true;
        public bool GatePasses = true;
        public double CandidateAuc = 0.9;
        public int TrainFailures;
        public bool TrainAlwaysFails;
        public bool Remote;
        public TimeSpan RemoteTimeout = TimeSpan.FromSeconds(30);
        public int Dispatches;
        public int? ChampionAtEvaluation = 2;
        public int? ChampionAtPromote = 2;
        public PromoteRequest? PromoteRequest;
        public bool IngestAlwaysFails;
        public QuarantineRequest? QuarantineRequest;
        public readonly System.Collections.Concurrent.ConcurrentQueue<(string Step, ModelSpec? Spec)> SpecsSeen = new();
    }

    private static async Task<(OrchestrationMetadata Meta, Script Script)> RunAsync(Script script, GpuTrainingResult? answer = null)
    {
        await using var host = await StartHostAsync(r =>
        {
            r.AddOrchestratorFunc<PipelineInput, PipelineResult>(TrainingPipeline.Name, TrainingPipeline.RunAsync);
            r.AddActivityFunc<PipelineInput, IngestOutcome>(IngestDataset.Name, (_, _) =>
            {
                Interlocked.Increment(ref script.IngestCalls);
                if (script.IngestAlwaysFails)
                {
                    throw new OutOfMemoryException("Array dimensions exceeded supported range.");
                }

                return script.Accept
                    ? new IngestOutcome(true, "accepted", 100, 0, "processed/m/a/report.json", null, script.Remote, script.RemoteTimeout, Spec)
                    : new IngestOutcome(false, "quarantined", 0, 0, "quarantine/m/a/report.json", "type-error ×40");
            });
            r.AddActivityFunc<QuarantineRequest, IngestOutcome>(QuarantineDrop.Name, (_, request) =>
            {
                script.QuarantineRequest = request;
                return new IngestOutcome(false, "quarantined", 0, 0, "quarantine/m/a/report.json", "ingest-failed: " + request.Reason);
            });
            r.AddActivityFunc<TrainRequest, TrainOutcome>(TrainCandidate.Name, (_, request) =>
            {
                script.SpecsSeen.Enqueue((PipelineSteps.Train, request.Spec));
                var n = Interlocked.Increment(ref script.TrainCalls);
                if (script.TrainAlwaysFails || n <= script.TrainFailures)
                {
                    throw new IOException($"storage hiccup {n}");
                }

                return Trained;
            });
            r.AddActivityFunc<TrainRequest, bool>(DispatchGpuTraining.Name, (_, _) => { Interlocked.Increment(ref script.Dispatches); return true; });
            r.AddActivityFunc<EvaluateRequest, EvaluationOutcome>(EvaluateCandidate.Name, (_, request) =>
            {
                script.SpecsSeen.Enqueue((PipelineSteps.Evaluate, request.Spec));
                return new EvaluationOutcome(
                    script.GatePasses, new Dictionary<string, double> { ["auc"] = script.CandidateAuc, ["logLoss"] = 0.3 }, null, null, "runs/m/run-1/gate.json", script.GatePasses ? [] : ["auc 0.9 < 0.95"], script.ChampionAtEvaluation);
            });
            r.AddActivityFunc<RegisterRequest, int>(RegisterModel.Name, (_, request) =>
            {
                script.SpecsSeen.Enqueue((PipelineSteps.Register, request.Spec));
                Interlocked.Increment(ref script.RegisterCalls);
                return 3;
            });
            r.AddActivityFunc<PromoteRequest, PromoteOutcome>(PromoteModel.Name, (_, request) =>
            {
                // Stands in for the registry's conditional move: promote only over the champion the gate saw.
                Interlocked.Increment(ref script.PromoteCalls);
                script.PromoteRequest = request;
                return request.ExpectedChampion == script.ChampionAtPromote
                    ? new PromoteOutcome(true, request.Version, $"champion → {request.Version}")
                    : new PromoteOutcome(false, script.ChampionAtPromote, $"not promoted: the champion changed from v{request.ExpectedChampion} to v{script.ChampionAtPromote}");
            });
        });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, Input);
        if (answer is not null)
        {
            // The GPU trainer's answer, once the run has dispatched and is waiting for it.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Volatile.Read(ref script.Dispatches) == 0)
            {
                await Task.Delay(20, wait.Token);
            }

            await host.Client.RaiseEventAsync(id, GpuQueues.ResultEvent, answer with { RunId = id });
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var meta = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        return (meta, script);
    }

    /// <summary>
    /// The test host's default port is random in 30000–40000, which overlaps Linux's ephemeral range: take a port the
    /// OS hands out as free instead, and try again on the rare race.
    /// </summary>
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

    [Fact]
    public async Task A_passing_run_goes_through_every_step_and_promotes()
    {
        var (meta, script) = await RunAsync(new Script());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Promoted, result.Outcome);
        Assert.Equal(3, result.Version);
        var progress = meta.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal(PipelineSteps.Done, progress.Step);
        Assert.Equal(PipelineSteps.All, progress.Steps.Select(s => s.Step));
        Assert.All(progress.Steps, s => Assert.Equal("completed", s.Status));
        Assert.Equal("version 3", progress.Steps.Single(s => s.Step == PipelineSteps.Register).Detail);
        Assert.Equal(1, script.PromoteCalls);
        Assert.Equal(2, script.PromoteRequest!.ExpectedChampion);
        Assert.Null(result.NotPromotedReason);
    }

    [Fact]
    public async Task The_spec_ingest_returns_reaches_train_evaluate_and_register_so_a_run_reads_it_once()
    {
        var (meta, script) = await RunAsync(new Script());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal([PipelineSteps.Train, PipelineSteps.Evaluate, PipelineSteps.Register], script.SpecsSeen.Select(s => s.Step));
        Assert.All(script.SpecsSeen, s =>
        {
            // Through the task hub's serializer and back: the same contract.
            Assert.NotNull(s.Spec);
            Assert.Equal(ModelSpecStore.Hash(Spec), ModelSpecStore.Hash(s.Spec));
        });
        Assert.Null(meta.ReadOutputAs<PipelineResult>()!.Ingest.Spec);
    }

    [Fact]
    public async Task A_gpu_run_dispatches_to_the_trainer_and_continues_with_its_result()
    {
        var training = new TrainingRecord(900, 100, 12.5, new Dictionary<string, string> { ["hiddenLayers"] = "2" }, null, "cuda:0");
        var (meta, script) = await RunAsync(new Script { Remote = true }, new GpuTrainingResult("", "m", true, null, training));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(1, script.Dispatches);
        Assert.Equal(0, script.TrainCalls);
        Assert.Equal(RunOutcomes.Promoted, meta.ReadOutputAs<PipelineResult>()!.Outcome);
        Assert.Contains("on cuda:0", meta.ReadCustomStatusAs<RunProgress>()!.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gpu_trainer_failure_fails_the_run_and_registers_nothing()
    {
        var (meta, script) = await RunAsync(new Script { Remote = true }, new GpuTrainingResult("", "m", false, "CUDA out of memory", null));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, meta.RuntimeStatus);
        Assert.Equal(0, script.RegisterCalls);
        Assert.Contains("CUDA out of memory", meta.ReadCustomStatusAs<RunProgress>()!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_gpu_trainer_times_out_the_run()
    {
        var (meta, script) = await RunAsync(new Script { Remote = true, RemoteTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(OrchestrationRuntimeStatus.Failed, meta.RuntimeStatus);
        Assert.Equal(1, script.Dispatches);
        Assert.Equal(0, script.RegisterCalls);
        var progress = meta.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal(PipelineSteps.Train, progress.Step);
        Assert.Contains("did not answer within", progress.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quarantined_file_stops_after_ingest()
    {
        var (meta, script) = await RunAsync(new Script { Accept = false });

        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Quarantined, result.Outcome);
        Assert.Equal("type-error ×40", result.Ingest.Reason);
        Assert.Null(result.Version);
        Assert.Equal(0, script.TrainCalls);
        Assert.Equal(0, script.RegisterCalls);
    }

    [Fact]
    public async Task A_failed_gate_registers_but_does_not_promote()
    {
        var (meta, script) = await RunAsync(new Script { GatePasses = false });

        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Registered, result.Outcome);
        Assert.False(result.Promoted);
        Assert.Equal(1, script.RegisterCalls);
        Assert.Equal(0, script.PromoteCalls);
        Assert.Contains("auc 0.9 < 0.95", result.NotPromotedReason, StringComparison.Ordinal);
        Assert.Contains("auc 0.9 < 0.95", meta.ReadCustomStatusAs<RunProgress>()!.Steps.Single(s => s.Step == PipelineSteps.Evaluate).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undefined_metric_travels_through_the_task_hub_as_null()
    {
        // AUC of a one-class holdout is NaN; the task hub's serializer used to throw on it and fail the evaluate step.
        var (meta, _) = await RunAsync(new Script { GatePasses = false, CandidateAuc = double.NaN });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Registered, result.Outcome);
        Assert.True(double.IsNaN(result.Evaluation!.CandidateMetrics["auc"]));
        Assert.Equal(0.3, result.Evaluation.CandidateMetrics["logLoss"]);
        Assert.Contains("\"auc\":null", meta.SerializedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transient_activity_failure_is_retried()
    {
        var (meta, script) = await RunAsync(new Script { TrainFailures = 1 });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(2, script.TrainCalls);
        Assert.Equal(RunOutcomes.Promoted, meta.ReadOutputAs<PipelineResult>()!.Outcome);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_fails_the_run_with_the_step_named()
    {
        var (meta, script) = await RunAsync(new Script { TrainAlwaysFails = true });

        Assert.Equal(OrchestrationRuntimeStatus.Failed, meta.RuntimeStatus);
        Assert.Equal(3, script.TrainCalls);
        Assert.Equal(0, script.RegisterCalls);
        var progress = meta.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal(PipelineSteps.Train, progress.Step);
        Assert.Equal("failed", progress.Steps[^1].Status);
        Assert.Contains("storage hiccup 3", progress.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_champion_changed_after_evaluation_leaves_the_version_registered_with_the_reason()
    {
        var (meta, script) = await RunAsync(new Script { ChampionAtEvaluation = 1, ChampionAtPromote = 2 });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(1, script.PromoteRequest!.ExpectedChampion);
        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Registered, result.Outcome);
        Assert.False(result.Promoted);
        Assert.Equal(3, result.Version);
        Assert.Contains("changed from v1 to v2", result.NotPromotedReason, StringComparison.Ordinal);
        var promote = meta.ReadCustomStatusAs<RunProgress>()!.Steps.Single(s => s.Step == PipelineSteps.Promote);
        Assert.Equal("completed", promote.Status);
        Assert.Contains("changed from v1 to v2", promote.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drop_whose_ingest_keeps_failing_ends_in_quarantine_with_the_reason()
    {
        var (meta, script) = await RunAsync(new Script { IngestAlwaysFails = true });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.Equal(3, script.IngestCalls);
        Assert.Equal(Input, script.QuarantineRequest!.Input);
        Assert.Contains("OutOfMemoryException", script.QuarantineRequest.Reason, StringComparison.Ordinal);
        var result = meta.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(RunOutcomes.Quarantined, result.Outcome);
        Assert.Contains("Array dimensions exceeded", result.Ingest.Reason, StringComparison.Ordinal);
        Assert.Equal(0, script.TrainCalls);
        var steps = meta.ReadCustomStatusAs<RunProgress>()!.Steps;
        Assert.Equal([(PipelineSteps.Ingest, "failed"), (PipelineSteps.Quarantine, "completed")], steps.Select(s => (s.Step, s.Status)));
    }
}
