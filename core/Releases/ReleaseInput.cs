using Serverless.Core.Specs;

namespace Serverless.Core.Releases;

/// <summary>One release: the candidate, the champion it replaces, and the spec whose <c>release</c> section it follows.</summary>
/// <param name="ReleaseId">Unique per model: the run id when the training pipeline starts it.</param>
/// <param name="ExpectedChampion">The champion when the release started; a different one at promotion time wins.</param>
/// <param name="Spec">The stored spec, its <c>release</c> section with the operator's overrides applied.</param>
/// <param name="Overrides">The release keys the operator set when starting it (<see cref="ReleaseOverride"/>); empty or null: the spec's.</param>
public sealed record ReleaseInput(string Model, string ReleaseId, int Candidate, int? ExpectedChampion, ModelSpec Spec, string? StartedBy = null, IReadOnlyList<string>? Overrides = null)
{
    /// <summary>The orchestration instance: one per model and release id, so a retried start finds the same one.</summary>
    public string InstanceId => InstanceIdOf(Model, ReleaseId);

    public ReleaseSpec Release => Spec.Release;

    public static string InstanceIdOf(string model, string releaseId) => $"release-{model}-{releaseId}";
}
