namespace Serverless.Core.Monitoring.Drift;

/// <summary>Current-window counts of one categorical or boolean column over the reference's categories plus "other".</summary>
internal sealed class CategoryAccumulator
{
    public static readonly IReadOnlyList<string> BooleanCategories = ["false", "true"];

    private readonly Dictionary<string, int> _index;

    public CategoryAccumulator(CategoryCounts reference)
    {
        _index = new Dictionary<string, int>(reference.Categories.Count, StringComparer.Ordinal);
        for (var i = 0; i < reference.Categories.Count; i++) _index[reference.Categories[i]] = i;
        Other = reference.OtherIndex;
        Counts = new long[reference.Counts.Length];
    }

    public long[] Counts { get; }

    public long Missing { get; private set; }

    private int Other { get; }

    public void Add(string?[] values)
    {
        var counts = Counts;
        long missing = 0;
        foreach (var v in values)
        {
            if (v is null)
            {
                missing++;
                continue;
            }

            counts[_index.TryGetValue(v, out var i) ? i : Other]++;
        }

        Missing += missing;
    }

    /// <summary>Booleans arrive as 0/1 floats (NaN missing); index 0 is false, 1 is true.</summary>
    public void AddBoolean(float[] values)
    {
        long missing = 0, trues = 0, falses = 0;
        foreach (var v in values)
        {
            if (float.IsNaN(v)) missing++;
            else if (v != 0) trues++;
            else falses++;
        }

        Counts[0] += falses;
        Counts[1] += trues;
        Missing += missing;
    }

    public void Merge(CategoryAccumulator other)
    {
        for (var i = 0; i < Counts.Length; i++) Counts[i] += other.Counts[i];
        Missing += other.Missing;
    }
}
