namespace Serverless.App.Releases;

/// <summary>The answer to starting a release: where to follow it.</summary>
public sealed record ReleaseStarted(string Model, string ReleaseId, int Candidate, int? Champion, string Mode, string StatusUri);
