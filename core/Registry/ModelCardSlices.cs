using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Specs;

namespace Serverless.Core.Registry;

/// <summary>Metrics per category of the spec's slice columns, from the holdout outputs the train step already has.</summary>
public static class ModelCardSlices
{
    public const string Other = "(other)";

    public const string Missing = "(missing)";

    /// <summary>Below this many rows a slice is flagged: a metric's standard error there is ~0.05 or worse.</summary>
    public const int MinReliableRows = 100;

    public static IReadOnlyList<ModelCardSlice> Measure(
        ModelSpec spec, TabularDataset holdout, IReadOnlyList<ModelOutputRow> outputs, IReadOnlyList<string>? classLabels)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(outputs);
        if (spec.Card is not { } card || holdout.RowCount == 0) return [];

        var labels = holdout[spec.Label];
        var slices = new List<ModelCardSlice>();
        foreach (var name in card.Slices)
        {
            var keys = Keys(holdout[name]);
            var top = keys.Where(k => k != Missing).GroupBy(k => k, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(card.TopCategories).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            var groups = Enumerable.Range(0, keys.Length)
                .GroupBy(i => keys[i] == Missing || top.Contains(keys[i]) ? keys[i] : Other, StringComparer.Ordinal)
                .OrderBy(g => g.Key == Other || g.Key == Missing ? 1 : 0).ThenByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var rows = group.ToArray();
                var metrics = ModelEvaluator.Evaluate(spec.Task, labels.Select(rows), [.. rows.Select(i => outputs[i])], classLabels);
                slices.Add(new ModelCardSlice(name, group.Key, rows.Length, metrics, rows.Length < MinReliableRows));
            }
        }

        return slices;
    }

    /// <summary>Booleans are read as 1/0 floats (NaN missing); categories as text.</summary>
    private static string[] Keys(DataColumn column) => column.Texts is { } texts
        ? [.. texts.Select(t => string.IsNullOrEmpty(t) ? Missing : t)]
        : [.. column.FloatValues.Select(v => float.IsNaN(v) ? Missing : v > 0.5f ? "true" : "false")];
}
