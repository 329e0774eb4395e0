namespace Serverless.Core.Specs;

/// <summary>
/// A model declaration (<c>models/{model}/model.json</c>): the data contract, the trainer and the promotion gates.
/// </summary>
public sealed record ModelSpec
{
    public static readonly IReadOnlyList<string> DefaultMissingValues = ["", "NA", "?"];

    public required ModelTask Task { get; init; }

    /// <summary>Label column. Binary: true/false, 1/0, yes/no. Multiclass: a string class. Regression: a number.</summary>
    public required string Label { get; init; }

    /// <summary>
    /// Binary only: the label value that means the positive class (e.g. "approved", "Y", "&gt;1M"). Required when the
    /// labels are not boolean-like (true/false, 1/0, yes/no); the other value seen is the negative class.
    /// </summary>
    public string? PositiveClass { get; init; }

    /// <summary>For multiclass, the allowed classes (optional; when absent, any non-missing value is a class).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    public required IReadOnlyList<FeatureSpec> Features { get; init; }

    /// <summary>Tokens (after trimming, case-sensitive) that mean "missing" in CSV files.</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = DefaultMissingValues;

    public TrainerSpec Trainer { get; init; } = new();

    public HoldoutSpec Holdout { get; init; } = new();

    public GateSpec Gates { get; init; } = new();

    /// <summary>Above this share of invalid rows the whole file is quarantined; at or below, invalid rows are dropped and reported.</summary>
    public double MaxInvalidRowFraction { get; init; } = 0.01;

    /// <summary>The least data a run may train and gate on.</summary>
    public MinimumRowsSpec MinimumRows { get; init; } = new();

    public MonitoringSpec Monitoring { get; init; } = new();

    /// <summary>Optional hyperparameter sweep before training (see <see cref="SearchSpec"/>).</summary>
    public SearchSpec? Search { get; init; }
    /// <summary>How a candidate that passed its gate reaches traffic; the default promotes at once.</summary>
    public ReleaseSpec Release { get; init; } = new();

    /// <summary>Extra columns in a file (not features, not the label) are a contract violation unless this is true.</summary>
    public bool AllowExtraColumns { get; init; }

    /// <summary>Model card: what the model does, in the owner's words (free text).</summary>
    public string? Description { get; init; }

    /// <summary>Model card: who answers for the model (a team, a person, an address).</summary>
    public string? Owner { get; init; }

    /// <summary>Model card: the uses it was built and validated for.</summary>
    public string? IntendedUse { get; init; }

    /// <summary>Model card: known limitations, shown before the ones the platform measures.</summary>
    public string? Limitations { get; init; }

    /// <summary>Model card options (slices); null: overall metrics only.</summary>
    public ModelCardSpec? Card { get; init; }
    /// <summary>Features joined point-in-time from feature views onto the dropped rows (null: none).</summary>
    public IReadOnlyList<FeatureViewReference>? FeatureViews { get; init; }

    public FeatureSpec? FindFeature(string name) => Features.FirstOrDefault(f => f.Name == name);
}
