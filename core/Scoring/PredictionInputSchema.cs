using System.Collections.Frozen;
using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Scoring;

/// <summary>
/// A model version's request contract, indexed once per loaded version so each request looks fields up in a
/// frozen map instead of rebuilding dictionaries per call. Each input's <see cref="ColumnContract"/> is the one
/// ingest uses, so predict accepts and refuses values exactly as ingest does.
/// </summary>
public sealed class PredictionInputSchema
{
    /// <param name="inputs">The model's inputs (the card's, i.e. the spec's features).</param>
    /// <param name="missingValues">The spec's missing-value tokens; null for the spec default.</param>
    /// <param name="allowExtraFields">The spec's allowExtraColumns: fields that are not inputs are ignored instead of refused.</param>
    public PredictionInputSchema(IReadOnlyList<FeatureSpec> inputs, IReadOnlyList<string>? missingValues = null, bool allowExtraFields = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Features = [.. inputs];
        Contracts = [.. Features.Select(f => new ColumnContract(f, missingValues ?? ModelSpec.DefaultMissingValues))];
        Index = Features.Select((f, i) => KeyValuePair.Create(f.Name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        Utf8Names = [.. Features.Select(f => Encoding.UTF8.GetBytes(f.Name))];
        AllowExtraFields = allowExtraFields;
        UnknownFieldMessage = "Unknown field; the model's inputs are: " + string.Join(", ", Features.Select(f => f.Name)) +
            " (the spec's allowExtraColumns would ignore other fields).";
    }

    public FeatureSpec[] Features { get; }

    /// <summary>Per input, in <see cref="Features"/> order.</summary>
    public ColumnContract[] Contracts { get; }

    /// <summary>Feature name → position in <see cref="Features"/>.</summary>
    public FrozenDictionary<string, int> Index { get; }

    /// <summary>Per input, its name as UTF-8: the request reader matches field names without decoding them.</summary>
    public byte[][] Utf8Names { get; }

    public bool AllowExtraFields { get; }

    public string UnknownFieldMessage { get; }
}
