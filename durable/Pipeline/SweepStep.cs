using Microsoft.DurableTask;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The pipeline's sweep step, between ingest and train: each rung of the <see cref="SweepBook"/> is a fan-out wave of
/// <see cref="RunSweepTrial"/> activities, at most <c>search.concurrency</c> in flight, fanned in before the next rung's
/// promotions. Deterministic: the book is pure and the wall-time budget reads the orchestration clock. A trial whose
/// activity fails past its retries is a failed row of the table, not a failed run.
/// </summary>
public static class SweepStep
{
    public static async Task<SweepResult> RunAsync(TaskOrchestrationContext context, PipelineInput input, IngestOutcome ingest, TaskOptions retry)
    {
        var spec = ingest.Spec ?? throw new ArgumentException("The sweep needs the spec ingest carried.", nameof(ingest));
        var search = spec.Search ?? throw new ArgumentException("The spec has no search.", nameof(ingest));
        if (ingest.RemoteTrainer)
        {
            throw new SweepFailedException(
                $"sweep trials run in pipeline activities, and this run's data must train on the trainer job ({ingest.Placement}); " +
                $"remove search, or set trainer.compute '{TrainerSpec.Cpu}' to fit it in the activity anyway");
        }

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
                    running.Add(context.CallActivityAsync<TrialScore>(RunSweepTrial.Name, request, retry), trial);
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

    /// <summary>The step's detail in the run's progress.</summary>
    public static string Detail(SweepResult r) =>
        $"{r.Summary.Strategy}: {r.Trials.Count(t => t.Status == TrialStatuses.Completed)} completed, " +
        $"{r.Trials.Count(t => t.Status == TrialStatuses.StoppedEarly)} stopped early, {r.Trials.Count(t => t.Status == TrialStatuses.Failed)} failed; " +
        $"best trial {r.Summary.BestTrial} {r.Summary.Metric} {r.Summary.BestMetric:F4}";
}
