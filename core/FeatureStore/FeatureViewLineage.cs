using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// A model version's use of one feature view, on its card: the version and the whole definition it was trained
/// with, so scoring keeps reading that version's online rows after the view's definition changes.
/// </summary>
public sealed record FeatureViewLineage(string View, string Version, string DefinitionHash, IReadOnlyList<string> Features, FeatureView Definition)
{
    /// <summary>The spec's views as the catalog defines them now; null when the spec names none.</summary>
    public static IReadOnlyList<FeatureViewLineage>? For(ModelSpec spec, FeatureViewCatalog? catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.FeatureViews is not { Count: > 0 } || catalog is null) return null;
        return [.. FeatureViewSpecs.Used(spec, catalog).Select(u => new FeatureViewLineage(u.View.View.Name, u.View.Version, u.View.DefinitionHash, [.. u.Features.Select(f => f.Name)], u.View.View))];
    }

    /// <summary>The view version this lineage names, as the online store addresses it.</summary>
    public RegisteredFeatureView AsRegistered() => new(Definition, Version, DefinitionHash, "card");
}
