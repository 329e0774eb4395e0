using System.Globalization;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Registry;

/// <summary>
/// Fills a card's model-card sections at registration: the owner's text from the spec, the data lineage from the
/// dataset's manifest, the holdout slices and calibration the train step measured, and the limitations.
/// </summary>
public static class ModelCardDocumentation
{
    /// <summary>A feature whose permutation importance is at most this share of the largest is reported as ignored.</summary>
    public const double IgnoredImportanceShare = 0.01;

    /// <summary>Above this expected calibration error the probabilities are reported as not to be read literally.</summary>
    public const double CalibrationWarning = 0.05;

    public static ModelCard Complete(ModelCard card, ModelSpec spec, DatasetManifest? manifest, ModelCardHoldout? holdout)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(spec);
        var lineage = new ModelCardLineage(
            card.DatasetSha256, manifest?.SourceName, manifest?.ReceivedAt, manifest?.Rows, manifest?.DroppedRows,
            card.TrainRows, card.HoldoutRows, card.SpecSha256, card.Gate.ChampionVersion,
            manifest?.Lineage?.ParentDataset, manifest?.Lineage?.FeedbackFrom, manifest?.Lineage?.FeedbackTo);
        var documented = card with
        {
            Description = spec.Description,
            Owner = spec.Owner,
            IntendedUse = spec.IntendedUse,
            Lineage = lineage,
            Slices = holdout?.Slices,
            Calibration = holdout?.Calibration,
        };
        return documented with { Limitations = new ModelCardLimitations(spec.Limitations, Measured(documented, manifest is null)) };
    }

    private static List<string> Measured(ModelCard card, bool noManifest)
    {
        var facts = new List<string>();
        foreach (var slice in card.Slices?.Where(s => s.Small) ?? [])
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture,
                $"Slice {slice.Column} = {slice.Category} has only {slice.Rows} holdout rows (< {ModelCardSlices.MinReliableRows}): its metrics are noisy."));
        }

        if (card.PermutationImportance is { Count: > 0 } importance)
        {
            var largest = importance.Values.Max();
            foreach (var (feature, loss) in importance.Where(i => i.Value <= IgnoredImportanceShare * Math.Max(largest, 0)).OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                facts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The model barely uses {feature}: shuffling it changes holdout {card.PermutationMetric} by {loss:0.####} (≤ {IgnoredImportanceShare * 100:0}% of the most important feature's {largest:0.####})."));
            }
        }

        if (card.Calibration is { ExpectedCalibrationError: { } ece } calibration && double.IsFinite(ece))
        {
            var what = calibration.Kind == ModelCardCalibration.Confidence ? "top-class confidence" : "predicted probability";
            facts.Add(ece > CalibrationWarning
                ? string.Create(CultureInfo.InvariantCulture, $"The {what} is off by {ece:0.###} on average on the holdout (expected calibration error, {CalibrationCurve.Bins} bins): treat it as a score, not a frequency.")
                : string.Create(CultureInfo.InvariantCulture, $"Expected calibration error of the {what} on the holdout: {ece:0.###} ({CalibrationCurve.Bins} bins)."));
        }

        facts.Add("The spec has no date/time feature type, so the data's time range is only known as the ingest time (and the feedback window for merged datasets).");
        if (noManifest) facts.Add("The dataset's manifest was not found: ingest row counts and time are unknown.");
        return facts;
    }
}
