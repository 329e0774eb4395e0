using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// What drift checks compare against: per-feature reference distributions from the training data, stored as JSON
/// next to the model card. Its size is bounded by bins and kept categories, except that a reference of at most
/// <c>maxExactRows</c> rows keeps every distinct value (the exact two-sample KS test needs them); so does a numeric
/// column with at most <see cref="QuantileBins"/> + 1 distinct values (drift checks count them to choose the test).
/// </summary>
/// <param name="Rows">Reference rows.</param>
/// <param name="Features">One profile per spec feature, in spec order.</param>
/// <param name="Prediction">The model output column ("prediction"), when predictions were given.</param>
/// <param name="MaxExactRows">Columns with at most this many reference values get tests (KS, χ²); larger ones distances.</param>
public sealed record ReferenceProfile(long Rows, IReadOnlyList<ColumnProfile> Features, ColumnProfile? Prediction = null, int MaxExactRows = ReferenceProfile.DefaultMaxExactRows)
{
    public const string PredictionName = DriftSpec.PredictionFeature;

    /// <summary>Evidently's cut-off: up to this many reference rows use statistical tests, above it distances.</summary>
    public const int DefaultMaxExactRows = 1000;

    /// <summary>Quantile bins for large references (101 edges); fine enough for a binned Wasserstein within ~1%.</summary>
    public const int QuantileBins = 100;

    public static ReferenceProfile Build(ModelSpec spec, TabularDataset trainingData, IReadOnlyList<float> predictions, int maxExactRows = DefaultMaxExactRows) =>
        Build(spec, trainingData, DataColumn.Float(PredictionName, [.. predictions]), maxExactRows);

    public static ReferenceProfile Build(ModelSpec spec, TabularDataset trainingData, IReadOnlyList<string?> predictions, int maxExactRows = DefaultMaxExactRows) =>
        Build(spec, trainingData, DataColumn.Text(PredictionName, [.. predictions]), maxExactRows);

    /// <param name="predictions">
    /// The model's outputs on held-out rows, any number of them (binary: P(true); regression: the score, Float;
    /// multiclass: the predicted label, Text). Held-out, because outputs on the rows a model was fitted to are more
    /// confident than anything it will see in production, and would read as prediction drift. Null: no prediction drift.
    /// </param>
    public static ReferenceProfile Build(ModelSpec spec, TabularDataset trainingData, DataColumn? predictions, int maxExactRows = DefaultMaxExactRows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trainingData);
        var features = spec.Features.Select(f => Profile(f.Name, KindOf(f.Type), trainingData[f.Name], maxExactRows)).ToList();
        var prediction = predictions is null ? null : Profile(PredictionName, PredictionKind(spec.Task, predictions), predictions, maxExactRows);
        return new ReferenceProfile(trainingData.RowCount, features, prediction, maxExactRows);
    }

    public ColumnProfile? Find(string name) =>
        name == PredictionName && Prediction is not null ? Prediction : Features.FirstOrDefault(f => f.Name == name);

    internal static string KindOf(FeatureType type) => type switch
    {
        FeatureType.Numeric => ColumnKinds.Numeric,
        FeatureType.Boolean => ColumnKinds.Boolean,
        _ => ColumnKinds.Categorical,
    };

    private static string PredictionKind(ModelTask task, DataColumn predictions)
    {
        var expected = task == ModelTask.Multiclass ? ColumnKind.Text : ColumnKind.Float;
        if (predictions.Kind != expected)
        {
            throw new ArgumentException($"A {task} model's predictions must be a {expected} column.", nameof(predictions));
        }

        return task == ModelTask.Multiclass ? ColumnKinds.Categorical : ColumnKinds.Numeric;
    }

    private static ColumnProfile Profile(string name, string kind, DataColumn column, int maxExactRows) => kind switch
    {
        ColumnKinds.Numeric => ProfileNumeric(name, column.FloatValues, maxExactRows),
        ColumnKinds.Boolean => ProfileBoolean(name, column.FloatValues),
        _ => ProfileCategorical(name, column.TextValues),
    };

    private static ColumnProfile ProfileNumeric(string name, float[] values, int maxExactRows)
    {
        var present = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!float.IsNaN(v)) present.Add(v);
        }

        present.Sort();
        var n = present.Count;
        var distinct = Distinct(present);
        // Every distinct value when there are few (exact, and no larger than the quantile edges): drift checks need
        // the column's distinct values to pick categorical tests for columns of at most five, as Evidently does.
        var exact = n <= maxExactRows || distinct.Length <= QuantileBins + 1;
        var edges = exact ? distinct : Distinct(QuantilePicks(present));
        var counts = new long[2 * edges.Length + 1];
        var mass = new double[counts.Length];
        double sum = 0;
        foreach (var x in present)
        {
            var slot = NumericHistogram.SlotOf(edges, x);
            counts[slot]++;
            mass[slot] += NumericHistogram.MassOf(edges, slot, x);
            sum += x;
        }

        var mean = n == 0 ? 0 : sum / n;
        double squares = 0;
        foreach (var x in present) squares += (x - mean) * (x - mean);
        var std = n == 0 ? 0 : Math.Sqrt(squares / n);

        var histogram = new NumericHistogram(exact, mean, std, edges, counts, mass);
        return new ColumnProfile(name, ColumnKinds.Numeric, n, values.Length - n, Numeric: histogram);
    }

    /// <summary>Nearest-rank quantiles 0, 1/Q, …, 1 of sorted values, so every edge is a real reference value.</summary>
    private static IEnumerable<double> QuantilePicks(List<double> sorted)
    {
        for (var i = 0; i <= QuantileBins; i++)
        {
            yield return sorted[(int)((long)i * (sorted.Count - 1) / QuantileBins)];
        }
    }

    private static double[] Distinct(IEnumerable<double> sorted)
    {
        var result = new List<double>();
        foreach (var x in sorted)
        {
            if (result.Count == 0 || result[^1] != x) result.Add(x);
        }

        return [.. result];
    }

    private static ColumnProfile ProfileBoolean(string name, float[] values)
    {
        var counts = new long[3];
        long missing = 0;
        foreach (var v in values)
        {
            if (float.IsNaN(v)) missing++;
            else counts[v != 0 ? 1 : 0]++;
        }

        return new ColumnProfile(name, ColumnKinds.Boolean, values.Length - missing, missing,
            Categorical: new CategoryCounts(CategoryAccumulator.BooleanCategories, counts));
    }

    private static ColumnProfile ProfileCategorical(string name, string?[] values)
    {
        var byValue = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var v in values)
        {
            if (v is null)
            {
                missing++;
                continue;
            }

            byValue[v] = byValue.GetValueOrDefault(v) + 1;
        }

        var kept = byValue.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(CategoryCounts.MaxCategories).ToList();
        var counts = new long[kept.Count + 1];
        for (var i = 0; i < kept.Count; i++) counts[i] = kept[i].Value;
        counts[^1] = values.Length - missing - counts.Sum();
        return new ColumnProfile(name, ColumnKinds.Categorical, values.Length - missing, missing,
            Categorical: new CategoryCounts(kept.Select(p => p.Key).ToList(), counts));
    }
}
