using Serverless.Core.Registry;

namespace Serverless.Core.Scoring;

/// <summary>
/// A release's share of a model's traffic as the registry's aliases state it: the candidate answers
/// <paramref name="Percent"/> of keyed requests, or (shadow) scores a copy of every request and answers none.
/// </summary>
/// <param name="RoutingField">The spec's <c>release.routingKey</c>: the request field that routes when no header is sent.</param>
public sealed record TrafficSplit(int Version, int Percent, bool Shadow, string? RoutingField)
{
    /// <summary>The split in <paramref name="aliases"/>, or null when the champion answers everything alone.</summary>
    public static TrafficSplit? From(ModelAliases aliases, string? routingField)
    {
        if (aliases.Get(ModelAliases.Candidate) is not { } candidate)
        {
            return null;
        }

        var shadow = aliases.Shadows.Contains(ModelAliases.Candidate);
        var percent = aliases.Weights.GetValueOrDefault(ModelAliases.Candidate);
        return shadow || percent > 0 ? new TrafficSplit(candidate, shadow ? 0 : percent, shadow, routingField) : null;
    }
}
