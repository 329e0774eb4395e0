namespace Serverless.Core.Registry;

/// <summary>
/// Why a version may not be removed: the aliases that point at it (later also traffic weights). One place decides
/// "carries traffic", so every removal path (delete, retention) asks the same question.
/// </summary>
public sealed record VersionTraffic(int Version, IReadOnlyList<string> Aliases)
{
    public bool CarriesTraffic => Aliases.Count > 0;

    public static VersionTraffic Of(ModelAliases aliases, int version) =>
        new(version, aliases.Aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList());
}
