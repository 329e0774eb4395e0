using Microsoft.DurableTask;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The pipeline's sweep step, between ingest and train: each rung of the <see cref="SweepBook"/> is a fan-out wave of
/// trials, at most <c>search.concurrency</c> in flight, fanned in before the next rung's promotions. A trial runs where
/// the run trains (<see cref="IngestOutcome.Placement"/>): a <see cref="RunSweepTrial"/> activity, or on the trainer job
/// (an mlp, or data over the activity budget) as one queue message (<see cref="DispatchSweepTrial"/>) whose score comes
/// back as the trial's own external event. Deterministic: the book is pure and the wall-time budget reads the
/// orchestration clock. A trial that fails past its retries (or whose job answer times out) is a failed row of the
/// table, not a failed run.
/// </summary>
public static class SweepStep
{
    public static async Task<SweepResult> RunAsync(TaskOrchestrationContext context, PipelineInput input, IngestOutcome ingest, TaskOptions retry)
    {
        var spec = ingest.Spec ?? throw new ArgumentException("The sweep needs the spec ingest carried.", nameof(ingest));
        var search = spec.Search ?? throw new ArgumentException("The spec has no search.", nameof(ingest));
        var timeout = ingest.TrainerTimeout ?? TrainerSpec.DefaultTimeout;
        var book = new SweepBook(spec);
        var started = context.CurrentUtcDateTime;
        bool OutOfTime() => search.MaxWallTime is { } wall && context.CurrentUtcDateTime - started >= wall;

        for (var rung = 0; rung < book.RungCount && !OutOfTime(); rung++)
        {
            var waiting = new Queue<int>(book.Entrants(rung));
            var running = new Dictionary<Task<TrialScore>, int>();
            while (waiting.Count > 0 || running.Count > 0)
            {
                while (running.Count < search.Concurrency && waiting.Count > 0 && !OutOfTime())
                {
                    var trial = waiting.Dequeue();
                    var request = new TrialRequest(input.RunId, input.Model, input.DatasetSha256, spec, trial, rung, book.Parameters(trial, rung));
                    running.Add(ingest.RemoteTrainer ? OnJobAsync(context, request, timeout, retry) : context.CallActivityAsync<TrialScore>(RunSweepTrial.Name, request, retry), trial);
                }

                if (running.Count == 0)
                {
                    break;
                }

                var done = await Task.WhenAny(running.Keys);
                var finished = running[done];
                running.Remove(done);
                try
                {
                    book.Record(await done);
                }
                catch (TaskFailedException e)
                {
                    book.Record(new TrialScore(finished, rung, null, 0, $"{e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}"));
                }
            }
        }

        SweepResult result;
        try
        {
            result = book.Finish((context.CurrentUtcDateTime - started).TotalSeconds);
        }
        catch (InvalidOperationException e)
        {
            throw new SweepFailedException(e.Message);
        }

        await context.CallActivityAsync<bool>(RecordSweep.Name, new SweepRecordRequest(input.RunId, input.Model, result), retry);
        return result;
    }

    /// <summary>
    /// One trial on the trainer job: a queue message, then the trial's event. A redelivered message answers the stored
    /// score; a second answer to an event already consumed is ignored.
    /// </summary>
    private static async Task<TrialScore> OnJobAsync(TaskOrchestrationContext context, TrialRequest request, TimeSpan timeout, TaskOptions retry)
    {
        await context.CallActivityAsync<bool>(DispatchSweepTrial.Name, request, retry);
        try
        {
            var answer = await context.WaitForExternalEvent<GpuTrainingResult>(GpuQueues.TrialEvent(request.Trial, request.Rung), timeout);
            return answer.Trial ?? new TrialScore(request.Trial, request.Rung, null, 0, answer.Error ?? "The trainer job answered without a score.", TrainingPlacement.Job);
        }
        catch (TaskCanceledException)
        {
            return new TrialScore(request.Trial, request.Rung, null, 0, $"The trainer job did not answer within {timeout}.", TrainingPlacement.Job);
        }
    }

    /// <summary>The step's detail in the run's progress.</summary>
    public static string Detail(SweepResult r) =>
        $"{r.Summary.Strategy}: {r.Trials.Count(t => t.Status == TrialStatuses.Completed)} completed, " +
        $"{r.Trials.Count(t => t.Status == TrialStatuses.StoppedEarly)} stopped early, {r.Trials.Count(t => t.Status == TrialStatuses.Failed)} failed; " +
        $"best trial {r.Summary.BestTrial} {r.Summary.Metric} {r.Summary.BestMetric:F4}" + (r.Summary.Where == TrainingPlacement.Job ? "; trials on the job" : "");
}
