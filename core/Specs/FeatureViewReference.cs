using System.Text.RegularExpressions;

namespace Serverless.Core.Specs;

/// <summary>
/// Features a model takes from a feature view (<c>features/{view}.json</c>), joined point-in-time onto each dropped row
/// by the view's entity keys and the row's <see cref="EventTimestampColumn"/>.
/// </summary>
/// <param name="View">The view's name.</param>
/// <param name="Features">The view's features to use; null: all of them.</param>
public sealed partial record FeatureViewReference(string View, IReadOnlyList<string>? Features = null)
{
    /// <summary>The entity rows' event time column, named as Feast's entity dataframe names it.</summary>
    public const string EventTimestampColumn = "event_timestamp";

    public const int MaxViews = 16;

    public const string ViewNameRule = "1–63 characters of lowercase letters, digits and '_', starting with a letter";

    public static bool IsValidViewName(string? name) => name is not null && ViewName().IsMatch(name);

    /// <summary>The rules that need no catalog (that the views and features exist is checked where the catalog is).</summary>
    public static void Validate(ModelSpec spec, List<SpecProblem> p)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.FeatureViews is not { } refs) return;
        if (refs.Count > MaxViews) p.Add(new("$.featureViews", $"At most {MaxViews} feature views; got {refs.Count}."));
        var views = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < refs.Count; i++)
        {
            var path = $"$.featureViews[{i}]";
            if (refs[i] is not { } r)
            {
                p.Add(new(path, "Must be an object, not null."));
                continue;
            }

            if (!IsValidViewName(r.View)) p.Add(new($"{path}.view", $"Invalid feature view name '{r.View}': {ViewNameRule}."));
            else if (!views.Add(r.View)) p.Add(new($"{path}.view", $"Feature view '{r.View}' is named twice."));
            if (r.Features is { Count: 0 }) p.Add(new($"{path}.features", "List at least one feature, or leave 'features' out to use all of them."));
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < (r.Features?.Count ?? 0); j++)
            {
                if (string.IsNullOrWhiteSpace(r.Features![j])) p.Add(new($"{path}.features[{j}]", "A feature name must not be empty."));
                else if (!names.Add(r.Features[j])) p.Add(new($"{path}.features[{j}]", $"Feature '{r.Features[j]}' is named twice."));
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ViewName();
}
