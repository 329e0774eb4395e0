using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// A model spec that names feature views, against the catalog. Its <c>features</c> list every model input; those a
/// view provides are joined, not dropped: the dropped rows carry the views' entity keys and
/// <see cref="FeatureViewReference.EventTimestampColumn"/> instead.
/// </summary>
public static class FeatureViewSpecs
{
    /// <summary>What the spec's references need from the catalog: the views and features exist, each used feature is among the spec's features with the view's type and nullable (no row may qualify).</summary>
    public static IReadOnlyList<SpecProblem> Check(ModelSpec spec, FeatureViewCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        var p = new List<SpecProblem>();
        var refs = spec.FeatureViews ?? [];
        var provided = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < refs.Count; i++)
        {
            var path = $"$.featureViews[{i}]";
            if (catalog.Find(refs[i].View) is not { } view)
            {
                p.Add(new($"{path}.view", $"There is no feature view '{refs[i].View}' (features/{refs[i].View}.json)."));
                continue;
            }

            var names = refs[i].Features ?? [.. view.View.Features.Select(f => f.Name)];
            for (var j = 0; j < names.Count; j++)
            {
                var at = refs[i].Features is null ? path : $"{path}.features[{j}]";
                if (view.View.FindFeature(names[j]) is not { } feature)
                {
                    p.Add(new(at, $"Feature view '{view.View.Name}' has no feature '{names[j]}'."));
                }
                else if (!provided.Add(feature.Name))
                {
                    p.Add(new(at, $"Feature '{feature.Name}' is provided by two feature views."));
                }
                else if (spec.FindFeature(feature.Name) is not { } declared)
                {
                    p.Add(new(at, $"Feature '{feature.Name}' of view '{view.View.Name}' must also be listed in 'features' (as {Name(feature.Type)}, nullable)."));
                }
                else if (declared.Type != feature.Type || !declared.Nullable)
                {
                    p.Add(new(at, $"Feature '{feature.Name}' is {Name(feature.Type)} in view '{view.View.Name}'; declare it in 'features' as {Name(feature.Type)} with nullable: true (a row may have no value within the TTL)."));
                }
            }

            if (view.View.Entities.Contains(spec.Label) || spec.Label == FeatureViewReference.EventTimestampColumn)
            {
                p.Add(new("$.label", $"The label '{spec.Label}' cannot be an entity key or the event timestamp."));
            }
        }

        // Sweep trials read the label rows as ingested; only training joins them (TrainingSetAssembler), so a trial
        // would score a model without the views' features.
        if (refs.Count > 0 && spec.Search is not null)
        {
            p.Add(new("$.search", "A sweep cannot be combined with feature views yet: its trials would train without the joined features. Remove 'search' or 'featureViews'."));
        }

        return p;
    }

    /// <summary>The views and the features the spec takes from each (the spec must pass <see cref="Check"/>).</summary>
    public static IReadOnlyList<(RegisteredFeatureView View, IReadOnlyList<FeatureViewFeature> Features)> Used(ModelSpec spec, FeatureViewCatalog catalog) =>
        [.. (spec.FeatureViews ?? []).Select(r =>
        {
            var view = catalog.Find(r.View) ?? throw new FeatureJoinException($"There is no feature view '{r.View}'.");
            IReadOnlyList<FeatureViewFeature> features = r.Features is { } names ? [.. names.Select(n => view.View.FindFeature(n)!)] : view.View.Features;
            return (view, features);
        })];

    /// <summary>
    /// The contract the dropped rows are checked against: the spec's own features (not those views provide), each
    /// view's entity keys (text) and the event timestamp (text). Null when the spec names no views.
    /// </summary>
    public static ModelSpec? ForIngest(ModelSpec spec, FeatureViewCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.FeatureViews is not { Count: > 0 }) return null;
        var used = Used(spec, catalog);
        var provided = used.SelectMany(u => u.Features.Select(f => f.Name)).ToHashSet(StringComparer.Ordinal);
        var features = spec.Features.Where(f => !provided.Contains(f.Name)).ToList();
        foreach (var key in used.SelectMany(u => u.View.View.Entities).Append(FeatureViewReference.EventTimestampColumn).Distinct(StringComparer.Ordinal))
        {
            if (features.All(f => f.Name != key)) features.Add(new FeatureSpec(key, FeatureType.Categorical, Nullable: key != FeatureViewReference.EventTimestampColumn, UnknownCategory: UnknownCategoryPolicy.Allow, Log: FeatureLogMode.Omit));
        }

        return spec with { Features = features };
    }

    private static string Name(FeatureType type) => type.ToString().ToLowerInvariant();
}
