using Serverless.Core.Specs;

namespace Serverless.Core.Training;

/// <summary>
/// Row indices for training and holdout: a pure function of (row count, fraction, seed). Uses its own seeded
/// <see cref="Random"/> (whose seeded sequence is stable across .NET versions) instead of ML.NET's split, so the
/// same holdout can be rebuilt anywhere, e.g. to re-score a champion.
/// </summary>
public sealed record HoldoutSplit(int[] TrainRows, int[] HoldoutRows)
{
    public static HoldoutSplit Create(int rowCount, HoldoutSpec spec)
    {
        var (order, holdout) = Shuffle(rowCount, spec);

        // Sorted, so the subsets keep the file's row order.
        var holdoutRows = order[..holdout];
        var trainRows = order[holdout..];
        Array.Sort(holdoutRows);
        Array.Sort(trainRows);
        return new HoldoutSplit(trainRows, holdoutRows);
    }

    /// <summary>
    /// The holdout rows of <see cref="Create"/>, unsorted, without building the training rows: what ingest's
    /// minimum-rows check needs on millions of rows.
    /// </summary>
    public static int[] HoldoutRowsOf(int rowCount, HoldoutSpec spec)
    {
        var (order, holdout) = Shuffle(rowCount, spec);
        return order[..holdout];
    }

    private static (int[] Order, int Holdout) Shuffle(int rowCount, HoldoutSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (spec.Fraction is <= 0 or >= 1 || double.IsNaN(spec.Fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Fraction, "Holdout fraction must be in (0, 1).");
        }

        var order = new int[rowCount];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var rng = new Random(spec.Seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        // At least one row on each side once there are two rows.
        var holdout = (int)Math.Round(rowCount * spec.Fraction, MidpointRounding.AwayFromZero);
        if (rowCount >= 2) holdout = Math.Clamp(holdout, 1, rowCount - 1);
        return (order, holdout);
    }
}
