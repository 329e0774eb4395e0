using System.Diagnostics;
using Microsoft.DurableTask;
using Serverless.Core.Runs;
using Serverless.Core.Telemetry;

namespace Serverless.Durable.Pipeline;

/// <summary>The cancellation a worker-registered activity runs with (the host stopping).</summary>
public interface IStoppableActivity
{
    CancellationToken Stopping { get; set; }
}

/// <summary>
/// One pipeline activity: a span and a step-duration measurement per call, tagged with run, model and outcome. Each is
/// idempotent (a retry after a crash rewrites the same blobs or finds the version it already claimed) and passes
/// paths, not data, back to the orchestration. The local worker runs it with the host's stopping token
/// (<see cref="Stopping"/>); the Functions adapter calls <see cref="RunAsync(TIn, CancellationToken)"/> with the invocation's.
/// </summary>
public abstract class PipelineActivity<TIn, TOut> : TaskActivity<TIn, TOut>, IStoppableActivity
{
    /// <summary>Steps of a training run, whose subject is a run id (batch, release and feature steps name other things).</summary>
    private static readonly HashSet<string> RunLogSteps =
        [PipelineSteps.Ingest, PipelineSteps.Quarantine, PipelineSteps.Sweep, PipelineSteps.Train, PipelineSteps.Dispatch, PipelineSteps.Evaluate, PipelineSteps.Register, PipelineSteps.Promote, ReleaseLaunch.Step];

    public CancellationToken Stopping { get; set; }

    /// <summary>The step's name on spans and the step-duration metric.</summary>
    protected abstract string Step { get; }

    protected abstract RunRef Subject(TIn input);

    protected virtual string Outcome(TOut result) => "ok";

    protected abstract Task<TOut> ExecuteAsync(TIn input, CancellationToken ct);

    public override Task<TOut> RunAsync(TaskActivityContext context, TIn input) => RunAsync(input, Stopping);

    public async Task<TOut> RunAsync(TIn input, CancellationToken ct)
    {
        var (runId, model) = Subject(input);
        using var span = PlatformTelemetry.StartStep(Step, runId, model);
        await using var log = RunLogSteps.Contains(Step) ? RunLogScope.Begin(runId, model, Step, RunLogSources.Activity) : null;
        var started = Stopwatch.GetTimestamp();
        var result = "error";
        try
        {
            var value = await ExecuteAsync(input, ct).ConfigureAwait(false);
            result = Outcome(value);
            return value;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            log?.ReportFailure(e);
            throw;
        }
        finally
        {
            span?.SetTag("outcome", result);
            PlatformTelemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new("step", Step), new("model", model), new("outcome", result));
        }
    }
}
