using System.Globalization;
using Serverless.Core.Registry;

namespace Serverless.App.Models.Cards;

/// <summary>Arranges a <see cref="ModelCardResponse"/> into the sections a reader expects of a model card, in reading order.</summary>
public static class CardLayout
{
    public static CardDocument Build(ModelCardResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var card = response.Card;
        return new CardDocument($"Model card: {card.Model} v{card.Version}", [
            Overview(card),
            Lineage(card),
            Metrics(card),
            Calibration(card),
            Importance(card),
            Gate(card, response.AliasHistory),
            Limitations(card),
        ]);
    }

    private static CardSection Overview(ModelCard card)
    {
        var paragraphs = new List<string>
        {
            card.Description ?? "No description was given (spec field description).",
            $"Intended use: {card.IntendedUse ?? "not stated (spec field intendedUse)."}",
            $"Owner: {card.Owner ?? "not stated (spec field owner)."}",
        };
        var facts = new CardTable("Version facts", ["Fact", "Value"], [
            ["Task", card.Task.ToString().ToLowerInvariant()],
            ["Trainer", card.Trainer.ToString()],
            ["Trained", card.CreatedAt.ToString("u", CultureInfo.InvariantCulture)],
            ["Run", card.RunId],
            ["Inputs", string.Join(", ", card.Inputs.Select(i => $"{i.Name} ({i.Type.ToString().ToLowerInvariant()})"))],
            ["Platform version", card.PlatformVersion],
            ["model.onnx SHA-256", card.ModelSha256 ?? "—"],
        ]);
        var parameters = new CardTable("Trainer parameters", ["Parameter", "Value"], [.. card.TrainerParameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)[p.Key, p.Value])]);
        return new CardSection("Overview", paragraphs, [facts, parameters]);
    }

    private static CardSection Lineage(ModelCard card)
    {
        var l = card.Lineage;
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "Dataset SHA-256", card.DatasetSha256 },
            new[] { "Source file", l?.SourceName ?? "—" },
            new[] { "Ingested at", l?.IngestedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "—" },
            new[] { "Rows ingested / dropped", l is { IngestedRows: { } kept } ? $"{kept} / {l.DroppedRows}" : "—" },
            new[] { "Train / holdout rows", $"{card.TrainRows} / {card.HoldoutRows}" },
            new[] { "Spec SHA-256", card.SpecSha256 },
            new[] { "Previous champion", l?.PreviousChampion is { } p ? $"v{p}" : "none" },
        };
        if (l?.ParentDataset is { } parent)
        {
            rows.Add(["Parent dataset", parent]);
            rows.Add(["Feedback window", $"{l.FeedbackFrom?.ToString("u", CultureInfo.InvariantCulture)} – {l.FeedbackTo?.ToString("u", CultureInfo.InvariantCulture)}"]);
        }

        return new CardSection("Data lineage", [], [new CardTable("Where the training data came from", ["Item", "Value"], rows)]);
    }

    private static CardSection Metrics(ModelCard card)
    {
        var names = card.Metrics.Keys.Order(StringComparer.Ordinal).ToList();
        var tables = new List<CardTable> { new("Holdout metrics (all rows)", ["Metric", "Value"], [.. names.Select(n => (IReadOnlyList<string>)[n, Number(card.Metrics[n])])]) };
        foreach (var column in card.Slices?.GroupBy(s => s.Column) ?? [])
        {
            tables.Add(new CardTable($"Holdout metrics by {column.Key}", ["Category", "Rows", .. names, "Note"],
                [.. column.Select(s => (IReadOnlyList<string>)[s.Category, s.Rows.ToString(CultureInfo.InvariantCulture), .. names.Select(n => s.Metrics.TryGetValue(n, out var v) ? Number(v) : "—"), s.Small ? "small slice" : ""])]));
        }

        return new CardSection("Metrics", card.Slices is null ? ["No slices were requested (spec field card.slices)."] : [], tables);
    }

    private static CardSection Calibration(ModelCard card)
    {
        if (card.Calibration is not { } c) return new CardSection("Calibration", ["Not measured for this version."], []);
        if (c.Kind == ModelCardCalibration.Residual)
        {
            return new CardSection("Calibration", ["Regression has no probabilities to calibrate; the holdout residuals (label − prediction) instead."],
                [new CardTable("Residual quantiles", ["Quantile", "Residual"], [.. (c.ResidualQuantiles ?? new Dictionary<string, double>()).Select(q => (IReadOnlyList<string>)[q.Key, Number(q.Value)])])]);
        }

        var what = c.Kind == ModelCardCalibration.Confidence ? "top-class confidence" : "predicted probability";
        return new CardSection("Calibration", [$"Expected calibration error: {Number(c.ExpectedCalibrationError ?? double.NaN)} ({what}, {c.Bins.Count} equal-width bins)."],
            [new CardTable($"Reliability bins of the {what}", ["Bin", "Rows", "Mean predicted", "Observed"],
                [.. c.Bins.Select(b => (IReadOnlyList<string>)[$"{Number(b.Lower)}–{Number(b.Upper)}", b.Count.ToString(CultureInfo.InvariantCulture), Number(b.MeanPredicted ?? double.NaN), Number(b.Observed ?? double.NaN)])])]);
    }

    private static CardSection Importance(ModelCard card)
    {
        var columns = card.Inputs.Select(i => i.Name).ToList();
        var rows = columns
            .Select(n => (IReadOnlyList<string>)[n, Lookup(card.GlobalImportance, n), Lookup(card.PermutationImportance, n)])
            .OrderByDescending(r => card.PermutationImportance?.GetValueOrDefault(r[0]) ?? 0).ToList();
        return new CardSection("Feature importance", [],
            [new CardTable("Global importance per input", ["Input", "Mean |SHAP| (trees)", $"Permutation ({card.PermutationMetric ?? "—"})"], rows)]);
    }

    private static CardSection Gate(ModelCard card, IReadOnlyList<AliasChange> history)
    {
        var g = card.Gate;
        var paragraphs = new List<string> { $"Gate {(g.Passed ? "passed" : "failed")}{(g.ChampionVersion is { } v ? $" against champion v{v}" : " (no champion to compare)")}." };
        if (g.Note is { } note) paragraphs.Add(note);
        var checks = new CardTable("Gate checks", ["Check", "Passed", "Detail"],
            [.. g.Checks.Select(c => (IReadOnlyList<string>)[$"{c.Name} {c.Metric}", c.Passed ? "yes" : "no", c.Detail])]);
        var moves = new CardTable("Alias history involving this version", ["At", "Alias", "Version", "Previous", "Reason", "By"],
            [.. history.Select(h => (IReadOnlyList<string>)[h.At.ToString("u", CultureInfo.InvariantCulture), h.Alias, $"v{h.Version}", h.PreviousVersion is { } p ? $"v{p}" : "—", h.Reason, h.By ?? "pipeline"])]);
        return new CardSection("Gate history", paragraphs, [checks, moves]);
    }

    private static CardSection Limitations(ModelCard card) =>
        new("Limitations", [.. card.Limitations?.Stated is { } stated ? [stated] : Array.Empty<string>(), .. card.Limitations?.Measured ?? []], []);

    private static string Lookup(IReadOnlyDictionary<string, double>? values, string key) =>
        values is not null && values.TryGetValue(key, out var v) ? Number(v) : "—";

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";
}
