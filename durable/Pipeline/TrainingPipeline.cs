using Microsoft.DurableTask;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The function-based orchestration both hosts run: ingest → (sweep, when the spec has search) → train → evaluate →
/// register → promote.
/// Deterministic: timings come from the replay-safe orchestration clock.
/// </summary>
public static class TrainingPipeline
{
    public const string Name = "TrainingPipeline";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        // Contract and data problems are reported as outcomes, not exceptions; what throws is worth retrying
        // unless it is a plain argument/format bug, which would fail the same way again.
        HandleFailure = f => !f.IsCausedBy<ArgumentException>() && !f.IsCausedBy<FormatException>(),
    });

    /// <summary>Moving a failed drop to quarantine outlasts a storage outage: about 10 minutes of retries.</summary>
    private static readonly TaskOptions QuarantineRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8,
        firstRetryInterval: TimeSpan.FromSeconds(5),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>
    /// Queues the run for the trainer job and waits for its result event. A timeout or a failed training fails
    /// the step (and so the run) with the reason; nothing is registered.
    /// </summary>
    private static async Task<TrainOutcome> TrainRemotelyAsync(TaskOrchestrationContext context, TrainRequest request, TimeSpan timeout)
    {
        await context.CallActivityAsync<bool>(DispatchGpuTraining.Name, request, Retry);
        GpuTrainingResult result;
        try
        {
            result = await context.WaitForExternalEvent<GpuTrainingResult>(GpuQueues.ResultEvent, timeout);
        }
        catch (TaskCanceledException)
        {
            throw new TrainerFailedException($"The GPU trainer did not answer within {timeout}.");
        }

        if (!result.Succeeded || result.Training is null)
        {
            throw new TrainerFailedException($"The GPU trainer failed: {result.Error ?? "no training record"}.");
        }

        return result.Training.ToOutcome();
    }

    /// <summary>
    /// Trains where ingest placed the run (<see cref="IngestOutcome.Placement"/>, from <c>trainer.compute</c> and the
    /// data's size): the trainer job through its queue, or the train activity here.
    /// </summary>
    private static Task<TrainOutcome> TrainAsync(TaskOrchestrationContext context, PipelineInput input, IngestOutcome ingest)
    {
        var request = new TrainRequest(input.RunId, input.Model, input.DatasetSha256, ingest.Spec);
        return ingest.RemoteTrainer
            ? TrainRemotelyAsync(context, request, ingest.TrainerTimeout ?? TrainerSpec.DefaultTimeout)
            : context.CallActivityAsync<TrainOutcome>(TrainCandidate.Name, request, Retry);
    }

    /// <summary>The train step's detail: where it trained and why, then what it fitted.</summary>
    private static string TrainDetail(IngestOutcome ingest, TrainOutcome o) =>
        (ingest.Placement is { } placement ? placement + "; " : "") + $"{o.TrainRows} train / {o.HoldoutRows} holdout rows, fit {o.FitSeconds:F2} s on {o.Device}";

    public static async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineInput input)
    {
        var steps = new List<StepTiming>();

        async Task<T> Step<T>(string step, Func<Task<T>> call, Func<T, string?>? detail = null)
        {
            var started = context.CurrentUtcDateTime;
            steps.Add(new StepTiming(step, StepStatuses.Running, started, null));
            context.SetCustomStatus(new RunProgress(step, steps.ToList()));
            try
            {
                var result = await call();
                steps[^1] = steps[^1] with { Status = StepStatuses.Completed, Seconds = (context.CurrentUtcDateTime - started).TotalSeconds, Detail = detail?.Invoke(result) };
                context.SetCustomStatus(new RunProgress(step, steps.ToList()));
                return result;
            }
            catch (Exception e) when (e is TaskFailedException or TrainerFailedException or SweepFailedException)
            {
                var message = e is TaskFailedException t ? t.FailureDetails.ErrorMessage : e.Message;
                steps[^1] = steps[^1] with { Status = StepStatuses.Failed, Seconds = (context.CurrentUtcDateTime - started).TotalSeconds, Detail = message };
                context.SetCustomStatus(new RunProgress(step, steps.ToList(), $"{step} failed: {message}"));
                throw;
            }
        }

        IngestOutcome ingest;
        try
        {
            ingest = await Step(
                PipelineSteps.Ingest,
                () => context.CallActivityAsync<IngestOutcome>(IngestDataset.Name, input, Retry),
                o => $"{o.Verdict}: {o.Rows} rows, {o.DroppedRows} dropped");
        }
        catch (TaskFailedException e) when (input.SourceBlob is not null)
        {
            // Whatever made ingest fail (a bug, out of memory, storage down past the retries), the drop must not sit in
            // incoming/ with a dead run: it goes to quarantine with the reason, and dropping it again retries it.
            var reason = $"ingest failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
            ingest = await Step(
                PipelineSteps.Quarantine,
                () => context.CallActivityAsync<IngestOutcome>(QuarantineDrop.Name, new QuarantineRequest(input, reason), QuarantineRetry),
                o => o.Reason);
        }

        if (!ingest.Accepted)
        {
            context.SetCustomStatus(new RunProgress(PipelineSteps.Done, steps.ToList()));
            return new PipelineResult(input.RunId, input.Model, RunOutcomes.Quarantined, input.DatasetSha256, null, false, null, null, ingest);
        }

        SweepResult? sweep = null;
        var trainOn = ingest;
        if (ingest.Spec?.Search is not null)
        {
            // The train step refits the winner on the whole training split; the card records the spec as declared and
            // the parameters the fit used.
            sweep = await Step(PipelineSteps.Sweep, () => SweepStep.RunAsync(context, input, ingest, Retry), SweepStep.Detail);
            trainOn = ingest with { Spec = SweepRunner.TunedSpec(ingest.Spec, sweep) };
        }

        await Step(PipelineSteps.Train, () => TrainAsync(context, input, trainOn), o => TrainDetail(trainOn, o));

        var evaluation = await Step(
            PipelineSteps.Evaluate,
            () => context.CallActivityAsync<EvaluationOutcome>(EvaluateCandidate.Name, new EvaluateRequest(input.RunId, input.Model, ingest.Spec), Retry),
            o => o.Passed ? "gate passed" : "gate failed: " + string.Join("; ", o.FailedChecks));

        var version = await Step(
            PipelineSteps.Register,
            () => context.CallActivityAsync<int>(RegisterModel.Name, new RegisterRequest(input.RunId, input.Model, input.DatasetSha256, ingest.Spec, ingest.Placement), Retry),
            v => $"version {v}");

        var promoted = false;
        string? notPromoted = evaluation.Passed ? null : "gate failed: " + string.Join("; ", evaluation.FailedChecks);
        if (evaluation.Passed && ingest.Spec?.Release is { Mode: not ReleaseMode.Auto } && evaluation.ChampionAtEvaluation is not null)
        {
            // The spec asks for a release instead of an immediate promotion (a first version has no champion to
            // share traffic with, so it is promoted as before): the run ends registered, its release goes on.
            var release = await Step(ReleaseLaunch.Step, () => ReleaseLaunch.StartAsync(context, input, ingest.Spec, version, evaluation.ChampionAtEvaluation), id => ReleaseLaunch.Detail(input.Model, id, ingest.Spec.Release.Mode));
            notPromoted = ReleaseLaunch.Detail(input.Model, release, ingest.Spec.Release.Mode);
        }
        else if (evaluation.Passed)
        {
            var promotion = await Step(
                PipelineSteps.Promote,
                () => context.CallActivityAsync<PromoteOutcome>(PromoteModel.Name, new PromoteRequest(input.RunId, input.Model, version, evaluation.ChampionAtEvaluation), Retry),
                o => o.Detail);
            promoted = promotion.Promoted;
            notPromoted = promoted ? null : promotion.Detail;
        }

        context.SetCustomStatus(new RunProgress(PipelineSteps.Done, steps.ToList()));
        return new PipelineResult(
            input.RunId,
            input.Model,
            promoted ? RunOutcomes.Promoted : RunOutcomes.Registered,
            input.DatasetSha256,
            version,
            promoted,
            evaluation.CandidateMetrics,
            evaluation,
            ingest with { Spec = null }, // the run's result names its spec by run; it need not repeat it
            notPromoted,
            sweep);
    }
}
