namespace Serverless.Core.FeatureStore;

/// <summary>A catalog search; every given criterion must match (name: substring, the others: exact, case-insensitive).</summary>
public sealed record FeatureViewQuery(string? Name = null, string? Tag = null, string? Owner = null, string? Entity = null)
{
    public bool Matches(FeatureView view) =>
        (Name is null || view.Name.Contains(Name, StringComparison.OrdinalIgnoreCase))
        && (Tag is null || view.Tags.Contains(Tag, StringComparer.OrdinalIgnoreCase))
        && (Owner is null || string.Equals(view.Owner, Owner, StringComparison.OrdinalIgnoreCase))
        && (Entity is null || view.Entities.Contains(Entity, StringComparer.OrdinalIgnoreCase));
}
