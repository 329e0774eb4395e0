using Serverless.Core.Storage;

namespace Serverless.Core.Training.Sweeps;

/// <summary>A sweep's files beside the run's (runs container).</summary>
public static class SweepBlobs
{
    /// <summary>Written once a trial's rung is scored: a retried or re-dispatched trial (after a crash) returns it instead of fitting again.</summary>
    public static string Trial(string model, string runId, int trial, int rung) =>
        $"{BlobLayout.RunPrefix(model, runId)}sweep/trial-{trial:D3}-rung-{rung}.json";

    /// <summary>The trial table and the winner (<see cref="Runs.SweepResult"/>).</summary>
    public static string Result(string model, string runId) => $"{BlobLayout.RunPrefix(model, runId)}sweep.json";
}
