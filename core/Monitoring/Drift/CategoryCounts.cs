namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// A categorical (or boolean) reference distribution: counts per known category and one trailing
/// "other" bucket holding both rare reference categories beyond the kept set and unseen current values.
/// </summary>
/// <param name="Categories">Kept categories (booleans: "false", "true").</param>
/// <param name="Counts">Counts per category, then the "other" count (length = categories + 1).</param>
public sealed record CategoryCounts(IReadOnlyList<string> Categories, long[] Counts)
{
    /// <summary>Categories kept per feature; the rest share the "other" bucket so the profile stays small.</summary>
    public const int MaxCategories = 256;

    public const string Other = "(other)";

    public int OtherIndex => Categories.Count;
}
