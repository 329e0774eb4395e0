namespace Serverless.Core.Specs;

/// <summary>The value rules for the model card's fields: free text within its cap, slice columns that have categories.</summary>
internal static class ModelCardSpecValidator
{
    public static void Validate(ModelSpec spec, List<SpecProblem> p)
    {
        Text("$.description", spec.Description, ModelSpecLimits.MaxCardTextLength, p);
        Text("$.owner", spec.Owner, ModelSpecLimits.MaxNameLength, p);
        Text("$.intendedUse", spec.IntendedUse, ModelSpecLimits.MaxCardTextLength, p);
        Text("$.limitations", spec.Limitations, ModelSpecLimits.MaxCardTextLength, p);
        if (spec.Card is not { } card) return;

        if (card.Slices is null)
        {
            p.Add(new("$.card.slices", "Must be an array of feature names, not null."));
        }
        else
        {
            if (card.Slices.Count > ModelSpecLimits.MaxCardSlices)
            {
                p.Add(new("$.card.slices", $"At most {ModelSpecLimits.MaxCardSlices} slice columns; got {card.Slices.Count}."));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < card.Slices.Count; i++)
            {
                var path = $"$.card.slices[{i}]";
                var name = card.Slices[i];
                var feature = name is null ? null : spec.Features?.FirstOrDefault(f => f?.Name == name);
                if (feature is null)
                {
                    p.Add(new(path, $"'{name}' is not a feature of this spec; slices must name categorical or boolean features."));
                }
                else if (feature.Type is not (FeatureType.Categorical or FeatureType.Boolean))
                {
                    // A numeric column has no categories to slice by; bucketing it is a choice the spec does not make.
                    p.Add(new(path, $"Feature '{name}' is {feature.Type.ToString().ToLowerInvariant()}; slices must be categorical or boolean features."));
                }
                else if (!seen.Add(name!))
                {
                    p.Add(new(path, $"Duplicate slice column '{name}'."));
                }
            }
        }

        if (card.TopCategories is < 1 or > ModelSpecLimits.MaxCardTopCategories)
        {
            p.Add(new("$.card.topCategories", $"Must be within [1, {ModelSpecLimits.MaxCardTopCategories}]; got {card.TopCategories}."));
        }
    }

    private static void Text(string path, string? value, int max, List<SpecProblem> p)
    {
        if (value is null) return;
        if (string.IsNullOrWhiteSpace(value))
        {
            p.Add(new(path, "Must not be empty or whitespace; leave the key out instead."));
        }
        else if (value.Length > max)
        {
            p.Add(new(path, $"At most {max} characters; got {value.Length}."));
        }
    }
}
