namespace Serverless.Core.Registry.Events;

/// <summary>CloudEvents <c>type</c> values, reverse-DNS prefixed as the spec recommends.</summary>
public static class RegistryEventTypes
{
    public const string Prefix = "io.serverless-mlops.registry.";

    public const string VersionRegistered = Prefix + "version.registered";

    public const string AliasMoved = Prefix + "alias.moved";

    public const string VersionDeleted = Prefix + "version.deleted";

    public const string ModelArchived = Prefix + "model.archived";

    /// <summary>A release began (subject <c>models/{m}/releases/{id}</c>).</summary>
    public const string ReleaseStarted = Prefix + "release.started";

    /// <summary>A release moved the candidate to its next share of traffic, or into the shadow (<c>…/releases/{id}/steps/{n}</c>).</summary>
    public const string ReleaseStep = Prefix + "release.step";

    /// <summary>A release ended with the candidate as champion (after the champion's <see cref="AliasMoved"/>).</summary>
    public const string ReleasePromoted = Prefix + "release.promoted";

    /// <summary>A release ended with the candidate's traffic taken away: a guardrail breach, a rejection, a failed step.</summary>
    public const string ReleaseRolledBack = Prefix + "release.rolledback";
}
