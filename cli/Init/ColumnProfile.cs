using System.Globalization;

namespace Serverless.Cli.Init;

/// <summary>What one CSV column holds, accumulated value by value: missing tokens, distinct values, numeric range.</summary>
public sealed class ColumnProfile(string name)
{
    /// <summary>Tokens read as missing when seen (trimmed, case-sensitive, as the platform compares them).</summary>
    public static readonly string[] MissingTokenCandidates = ["", "NA", "N/A", "n/a", "null", "NULL", "?", "NaN", "nan"];

    /// <summary>Distinct values remembered per column; past it a column counts as high-cardinality text.</summary>
    public const int MaxTrackedValues = 10_000;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public long Values { get; private set; }

    public long Missing { get; private set; }

    public SortedSet<string> MissingTokens { get; } = new(StringComparer.Ordinal);

    public long Numbers { get; private set; }

    public long Booleans { get; private set; }

    public bool AllIntegers { get; private set; } = true;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>True once a value was seen twice (among the tracked ones): false for an identifier column.</summary>
    public bool Repeats { get; private set; }

    /// <summary>True once more than <see cref="MaxTrackedValues"/> distinct values were seen.</summary>
    public bool Overflowed { get; private set; }

    public long Present => Values - Missing;

    public int Distinct => _counts.Count;

    public void Add(string raw)
    {
        Values++;
        var value = raw.Trim();
        if (Array.IndexOf(MissingTokenCandidates, value) >= 0)
        {
            Missing++;
            MissingTokens.Add(value);
            return;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            Numbers++;
            Min = Math.Min(Min, number);
            Max = Math.Max(Max, number);
            if (number != Math.Floor(number)) AllIntegers = false;
        }

        if (IsBooleanToken(value)) Booleans++;
        if (_counts.TryGetValue(value, out var n))
        {
            _counts[value] = n + 1;
            Repeats = true;
        }
        else if (_counts.Count < MaxTrackedValues)
        {
            _counts[value] = 1;
        }
        else
        {
            Overflowed = true;
        }
    }

    /// <summary>The most frequent values, most frequent first (ties by value, so the draft is stable).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Top(int n) =>
        [.. _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(n)];

    /// <summary>The platform's boolean tokens: true/false, 1/0, yes/no in any case (ColumnContract.TryParseBoolean).</summary>
    public static bool IsBooleanToken(string s) =>
        s is "0" or "1"
        || s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase)
        || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase);
}
