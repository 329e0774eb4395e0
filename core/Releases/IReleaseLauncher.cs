namespace Serverless.Core.Releases;

/// <summary>The port the release orchestration implements: start one, and hand it a decision.</summary>
public interface IReleaseLauncher
{
    /// <summary>Starts the release; false when one with its id already exists (nothing new is started).</summary>
    Task<bool> StartAsync(ReleaseInput input, CancellationToken ct);

    /// <summary>Raises <paramref name="decision"/> into the release's orchestration.</summary>
    Task RaiseDecisionAsync(string model, string releaseId, ReleaseDecision decision, CancellationToken ct);

    /// <summary>Raises <paramref name="change"/> into a held release's orchestration.</summary>
    Task RaiseTrafficChangeAsync(string model, string releaseId, ReleaseTrafficChange change, CancellationToken ct);
}
