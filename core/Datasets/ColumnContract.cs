using System.Collections.Frozen;
using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Datasets;

/// <summary>
/// One feature's data contract, compiled once from its <see cref="FeatureSpec"/>: the single definition of what a
/// value of that column must be. Ingest (CSV cells, Parquet values) and predict (JSON values) both ask it for a
/// verdict and take their messages from it, so a value is accepted or refused the same way on either path.
/// The checks allocate nothing; only the messages of refused values do.
/// </summary>
public sealed class ColumnContract
{
    private const int MaxListedCategories = 20;

    private readonly string[] _missingTokens;
    private readonly FrozenSet<string>? _categories;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _categoryLookup;

    public ColumnContract(FeatureSpec feature, IReadOnlyList<string> missingValues)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(missingValues);
        Name = feature.Name;
        Type = feature.Type;
        Nullable = feature.Nullable;
        Min = feature.Type == FeatureType.Numeric ? feature.Min ?? double.NegativeInfinity : double.NegativeInfinity;
        Max = feature.Type == FeatureType.Numeric ? feature.Max ?? double.PositiveInfinity : double.PositiveInfinity;
        _missingTokens = [.. missingValues];
        if (feature.Type == FeatureType.Categorical && feature.Categories is { Count: > 0 } categories)
        {
            _categories = categories.ToFrozenSet(StringComparer.Ordinal);
            _categoryLookup = _categories.GetAlternateLookup<ReadOnlySpan<char>>();
            RejectUnknown = feature.UnknownCategory == UnknownCategoryPolicy.Reject;
        }

        Expected = DescribeExpected(feature);
    }

    public string Name { get; }

    public FeatureType Type { get; }

    public bool Nullable { get; }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Categorical with declared categories and the reject policy.</summary>
    public bool RejectUnknown { get; }

    /// <summary>What a valid value looks like, in words (e.g. "a number within [0, 120]").</summary>
    public string Expected { get; }

    /// <summary>A text value: a CSV cell, a Parquet string, a JSON string. Trimmed, then checked for missing-value tokens, then parsed by type.</summary>
    /// <param name="category">A categorical value's declared (shared) string; null when the value is valid but undeclared (the caller materializes it).</param>
    public ValueVerdict CheckText(ReadOnlySpan<char> raw, out float number, out string? category)
    {
        var value = raw.Trim();
        number = float.NaN;
        category = null;
        if (IsMissingToken(value))
        {
            return CheckMissing();
        }

        switch (Type)
        {
            case FeatureType.Numeric:
                // Sign, decimal point, exponent (invariant culture); no thousands separators, no currency.
                return FastNumber.TryParse(value, out var d) ? CheckNumber(d, out number) : ValueVerdict.TypeError;
            case FeatureType.Boolean:
                if (!TryParseBoolean(value, out var b)) return ValueVerdict.TypeError;
                number = b ? 1f : 0f;
                return ValueVerdict.Valid;
            default:
                return CheckCategory(value, out category);
        }
    }

    /// <summary>A typed number: a JSON number, a Parquet numeric value.</summary>
    public ValueVerdict CheckNumber(double value, out float number)
    {
        number = float.NaN;
        switch (Type)
        {
            case FeatureType.Numeric:
                // float is what the model sees: anything it cannot hold is not a number for this platform.
                if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue) return ValueVerdict.TypeError;
                if (value < Min || value > Max) return ValueVerdict.OutOfRange;
                number = (float)value;
                return ValueVerdict.Valid;
            case FeatureType.Boolean when value is 0 or 1:
                number = (float)value;
                return ValueVerdict.Valid;
            default:
                return ValueVerdict.TypeError;
        }
    }

    /// <summary>A typed boolean: JSON true/false, a Parquet bool.</summary>
    public ValueVerdict CheckBoolean(bool value, out float number)
    {
        number = value ? 1f : 0f;
        return Type == FeatureType.Boolean ? ValueVerdict.Valid : ValueVerdict.TypeError;
    }

    /// <summary>No value at all: null, an empty or absent field, a missing-value token.</summary>
    public ValueVerdict CheckMissing() => Nullable ? ValueVerdict.Missing : ValueVerdict.NullNotAllowed;

    /// <summary>An already trimmed category; <paramref name="known"/> is the declared string it equals.</summary>
    public ValueVerdict CheckCategory(ReadOnlySpan<char> value, out string? known)
    {
        known = null;
        if (_categories is null || _categoryLookup.TryGetValue(value, out known))
        {
            return ValueVerdict.Valid;
        }

        return RejectUnknown ? ValueVerdict.UnknownCategory : ValueVerdict.Valid;
    }

    /// <summary>Tokens are compared after trimming, case-sensitively.</summary>
    public bool IsMissingToken(ReadOnlySpan<char> trimmed)
    {
        // A linear scan: token lists are short and most values differ in length, so this beats hashing every cell.
        foreach (var t in _missingTokens)
        {
            if (trimmed.SequenceEqual(t)) return true;
        }

        return false;
    }

    /// <summary>The rule name a refusal is reported under; null for <see cref="ValueVerdict.Valid"/> and <see cref="ValueVerdict.Missing"/>.</summary>
    public static string? RuleOf(ValueVerdict verdict) => verdict switch
    {
        ValueVerdict.TypeError => ContractRules.TypeError,
        ValueVerdict.OutOfRange => ContractRules.OutOfRange,
        ValueVerdict.NullNotAllowed => ContractRules.NullNotAllowed,
        ValueVerdict.UnknownCategory => ContractRules.UnknownCategory,
        _ => null,
    };

    /// <summary>What was expected, for a refused value; the same words in a validation report and a 400.</summary>
    public string MessageFor(ValueVerdict verdict) => verdict switch
    {
        ValueVerdict.TypeError => $"Expected {Expected}.",
        ValueVerdict.OutOfRange => $"Out of range: expected {Expected}.",
        ValueVerdict.NullNotAllowed => _missingTokens.Length == 0
            ? "A value is required: the column is not nullable."
            : $"A value is required: the column is not nullable (missing-value tokens: {string.Join(", ", _missingTokens.Select(t => $"'{t}'"))}).",
        ValueVerdict.UnknownCategory => $"Unknown category: expected {Expected} (unknownCategory is reject).",
        _ => string.Empty,
    };

    /// <summary>true/false, 1/0, yes/no, any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> s, out bool value)
    {
        if (s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return s is "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A short, bounded list of values for messages: quoted, at most <paramref name="max"/>, then "and N more".</summary>
    public static string ListValues(IEnumerable<string> values, int max = MaxListedCategories)
    {
        var all = values.ToList();
        var shown = string.Join(", ", all.Take(max).Select(v => $"'{Truncate(v)}'"));
        return all.Count > max ? $"{shown} and {all.Count - max} more" : shown;
    }

    private static string Truncate(string v) => v.Length > 50 ? v[..50] + "…" : v;

    private static string DescribeExpected(FeatureSpec f) => f.Type switch
    {
        FeatureType.Numeric => (f.Min, f.Max) switch
        {
            ({ } min, { } max) => $"a number within [{Format(min)}, {Format(max)}]",
            ({ } min, null) => $"a number ≥ {Format(min)}",
            (null, { } max) => $"a number ≤ {Format(max)}",
            _ => "a finite number",
        },
        FeatureType.Boolean => "true or false (also 1/0, yes/no, any case)",
        _ when f.Categories is { Count: > 0 } c && f.UnknownCategory == UnknownCategoryPolicy.Reject => $"one of {ListValues(c)}",
        _ => "a text category",
    };

    private static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
