namespace Serverless.Core.FeatureStore;

/// <summary>One search hit of the catalog.</summary>
public sealed record FeatureViewSummary(
    string Name,
    string Version,
    IReadOnlyList<string> Entities,
    IReadOnlyList<string> Features,
    string Owner,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> UsedBy)
{
    public static FeatureViewSummary Of(RegisteredFeatureView v, IReadOnlyList<string> usedBy) =>
        new(v.View.Name, v.Version, v.View.Entities, [.. v.View.Features.Select(f => f.Name)], v.View.Owner, v.View.Description, v.View.Tags, usedBy);
}
