using Serverless.Core.Specs;

namespace Serverless.App.Releases;

/// <summary>The answer to starting a release: where to follow it, and the settings it runs under.</summary>
public sealed record ReleaseStarted(string Model, string ReleaseId, int Candidate, int? Champion, string Mode, string StatusUri)
{
    /// <summary>The spec's release section with the body's keys applied.</summary>
    public ReleaseSpec? Release { get; init; }

    /// <summary>The keys the body set.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
