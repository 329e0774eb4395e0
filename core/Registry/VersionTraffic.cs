namespace Serverless.Core.Registry;

/// <summary>
/// Why a version may not be removed: the aliases that point at it. A release's canary or shadow version is the
/// <see cref="ModelAliases.Candidate"/> alias (its weight and shadow flag hang off that alias), so it counts here too.
/// One place decides "carries traffic", so every removal path (delete, retention) asks the same question.
/// </summary>
public sealed record VersionTraffic(int Version, IReadOnlyList<string> Aliases)
{
    public bool CarriesTraffic => Aliases.Count > 0;

    public static VersionTraffic Of(ModelAliases aliases, int version) =>
        new(version, aliases.Aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList());
}
