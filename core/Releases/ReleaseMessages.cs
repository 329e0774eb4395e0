namespace Serverless.Core.Releases;

/// <summary>Moves the candidate to <paramref name="Percent"/> of keyed traffic, or to the shadow.</summary>
/// <param name="By">The operator who moved a held weight; null for the release's own steps.</param>
public sealed record ReleaseStepRequest(ReleaseInput Input, int Percent, bool Shadow, string? By = null);

/// <summary>Ends a release: promotion or rollback, with why and (after a decision) by whom.</summary>
public sealed record ReleaseEndRequest(ReleaseInput Input, string Reason, string? DecidedBy = null);
