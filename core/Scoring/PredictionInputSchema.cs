using System.Collections.Frozen;
using Serverless.Core.Specs;

namespace Serverless.Core.Scoring;

/// <summary>
/// A model version's request contract, indexed once per loaded version so each request looks fields up in a
/// frozen map instead of rebuilding dictionaries per call.
/// </summary>
public sealed class PredictionInputSchema
{
    public PredictionInputSchema(IReadOnlyList<FeatureSpec> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Features = [.. inputs];
        Index = Features.Select((f, i) => KeyValuePair.Create(f.Name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        UnknownFieldMessage = "Unknown field; the model's inputs are: " + string.Join(", ", Features.Select(f => f.Name)) + ".";
    }

    public FeatureSpec[] Features { get; }

    /// <summary>Feature name → position in <see cref="Features"/>.</summary>
    public FrozenDictionary<string, int> Index { get; }

    public string UnknownFieldMessage { get; }
}
