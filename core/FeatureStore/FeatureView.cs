namespace Serverless.Core.FeatureStore;

/// <summary>
/// A feature view (<c>features/{name}.json</c>, a reviewed file): named features of one or more entity keys, read from
/// a platform dataset whose rows carry an event timestamp, each value valid for <see cref="Ttl"/> after its event.
/// </summary>
public sealed record FeatureView
{
    /// <summary>Unique name; also the file's name.</summary>
    public required string Name { get; init; }

    /// <summary>An explicit version label; when absent the version is derived from the definition's hash.</summary>
    public string? Version { get; init; }

    /// <summary>The entity key columns, in the order lookups send them.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    public required IReadOnlyList<FeatureViewFeature> Features { get; init; }

    public required FeatureViewSource Source { get; init; }

    /// <summary>How long after its event a value may still be joined or served.</summary>
    public required TimeSpan Ttl { get; init; }

    /// <summary>Team or person to ask about the view.</summary>
    public required string Owner { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public FeatureViewFeature? FindFeature(string name) => Features.FirstOrDefault(f => f.Name == name);
}
