namespace Serverless.Core.Runs;

/// <summary>What <see cref="IRunLauncher.CancelAsync"/> did.</summary>
public enum RunCancellation
{
    /// <summary>Termination requested; the run shows <see cref="RunStatuses.Canceled"/> once the hub has applied it.</summary>
    Requested,
    Missing,

    /// <summary>The run had already finished (or was already canceled).</summary>
    NotActive,
}
