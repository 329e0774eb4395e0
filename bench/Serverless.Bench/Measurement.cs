namespace Serverless.Bench;

/// <summary>One printed figure: what was measured, in which unit, and the goal it is held against (if any).</summary>
/// <param name="Area">scoring, training, orchestration or drift.</param>
/// <param name="Goal">Human-readable goal, e.g. "≤ 1.30×"; null for context figures.</param>
/// <param name="Pass">Null when the figure has no goal or was skipped.</param>
internal sealed record Measurement(string Area, string Metric, double? Value, string Unit, string? Goal = null, bool? Pass = null, string? Note = null)
{
    public static Measurement AtMost(string area, string metric, double value, string unit, double limit, string? note = null) =>
        new(area, metric, value, unit, $"≤ {Format(limit)}{unit}", value <= limit, note);

    public static Measurement AtLeast(string area, string metric, double value, string unit, double limit, string? note = null) =>
        new(area, metric, value, unit, $"≥ {Format(limit)}{unit}", value >= limit, note);

    public static Measurement Skipped(string area, string metric, string why) => new(area, metric, null, "", null, null, "skipped: " + why);

    public string Status => Pass switch { true => "PASS", false => "MISS", null => "" };

    public string ValueText => Value is { } v ? Format(v) + Unit : "skipped";

    /// <summary>Three significant digits, thousands separated above 1000.</summary>
    public static string Format(double v) => Math.Abs(v) switch
    {
        >= 1000 => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        >= 100 => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture),
        >= 1 => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
    };
}
