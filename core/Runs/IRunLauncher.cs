namespace Serverless.Core.Runs;

/// <summary>
/// Starts and inspects pipeline runs. The application layer only knows this interface; the durable orchestration
/// project implements it over whichever task hub client the host provides.
/// </summary>
public interface IRunLauncher
{
    /// <summary>Schedules a run on an already-snapshotted dataset version (explicit re-runs get a time-stamped id).</summary>
    Task<string> StartOnDatasetVersionAsync(string model, string sha256, string reason, CancellationToken ct);

    /// <summary>As above, recording what started it (<see cref="RunTriggers"/>) and, for a rerun, the run it repeats.</summary>
    Task<string> StartOnDatasetVersionAsync(string model, string sha256, string reason, string trigger, string? rerunOf, CancellationToken ct);

    /// <summary>
    /// Schedules a run on a file posted to the API and stored at <paramref name="blobName"/> under the generated
    /// <paramref name="sourceName"/>; <paramref name="clientFileName"/> is only recorded.
    /// </summary>
    Task<string> StartOnUploadAsync(string model, string blobName, string sourceName, string? clientFileName, string sha256, CancellationToken ct);

    /// <summary>Schedules a run under <paramref name="input"/>'s run id: true if this call scheduled it, false if it already existed.</summary>
    Task<bool> TryStartAsync(PipelineInput input, CancellationToken ct);

    /// <summary>The run as <c>GET /api/runs/{id}</c> shows it, or null if there is none.</summary>
    Task<RunView?> GetRunAsync(string runId, CancellationToken ct);

    /// <summary>One page of the model's runs (<paramref name="query"/>'s model only, never a model whose name extends it).</summary>
    Task<RunPage> ListRunsAsync(RunQuery query, CancellationToken ct);

    /// <summary>Terminates a pending or running run with <paramref name="reason"/> as its output.</summary>
    Task<RunCancellation> CancelAsync(string runId, string reason, CancellationToken ct);

    /// <summary>Where the run stands, as far as deciding whether the same drop should run again.</summary>
    Task<RunState> GetStateAsync(string runId, CancellationToken ct);
}
