using System.Text.Json.Serialization;

namespace Serverless.Core.Registry;

/// <summary>The holdout metrics of the rows whose slice column holds one category.</summary>
/// <param name="Column">The slice column (a categorical or boolean feature).</param>
/// <param name="Category">The value; <see cref="ModelCardSlices.Other"/> pools the categories past the top N, <see cref="ModelCardSlices.Missing"/> the missing values.</param>
/// <param name="Rows">Holdout rows in the slice.</param>
/// <param name="Metrics">The task's metrics on those rows (null where undefined, e.g. AUC of a one-class slice).</param>
/// <param name="Small">Fewer than <see cref="ModelCardSlices.MinReliableRows"/> rows: its metrics are noisy.</param>
public sealed record ModelCardSlice(
    string Column,
    string Category,
    long Rows,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double> Metrics,
    bool Small);
