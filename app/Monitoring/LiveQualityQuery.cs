using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Monitoring;

/// <summary>
/// The query string of <c>GET /api/models/{model}/monitoring/quality</c>, checked field by field: <c>from</c> and
/// <c>to</c> (ISO 8601; default: the spec's longest quality window up to now), <c>bucket</c> (<c>15m</c>, <c>1h</c>,
/// <c>1d</c> or <c>hh:mm:ss</c>; default 1 h, widened to fit the bucket limit) and <c>minLabels</c>.
/// </summary>
public static partial class LiveQualityQuery
{
    public static readonly TimeSpan MinBucket = TimeSpan.FromMinutes(1);

    public const int MaxMinLabels = 100_000;

    public static Outcome<(LiveQualityRange Range, int MinLabels)> Parse(IQueryCollection query, ModelSpec spec, DateTimeOffset now, LiveQualitySeriesOptions options)
    {
        List<FieldError> errors = [];
        var from = Instant("from", query["from"].FirstOrDefault(), errors);
        var to = Instant("to", query["to"].FirstOrDefault(), errors) ?? now;
        var bucket = Bucket(query["bucket"].FirstOrDefault(), errors);
        var minLabels = options.MinLabels;
        if (query["minLabels"].FirstOrDefault() is { } raw && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out minLabels) || minLabels is < 1 or > MaxMinLabels))
        {
            errors.Add(new FieldError(0, "minLabels", $"'minLabels' must be an integer from 1 to {MaxMinLabels}."));
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var span = from is { } f ? to - f : spec.Monitoring.QualityWindows.DefaultIfEmpty(TimeSpan.FromDays(7)).Max();
        if (span <= TimeSpan.Zero)
        {
            return Invalid([new FieldError(0, "from", $"'from' ({from:O}) must be before 'to' ({to:O}).")]);
        }

        if (span > options.MaxRange)
        {
            return Invalid([new FieldError(0, "from", $"'to' − 'from' is {Seconds(span)}; at most {options.MaxRange}.")]);
        }

        // Default: whole hours, as wide as the limit requires (one spare bucket for the alignment below).
        var width = options.DefaultBucket;
        while (bucket is null && LiveQualityRange.Count(span, width) >= options.MaxBuckets) width += options.DefaultBucket;
        bucket ??= width;

        // Without 'from', buckets are aligned to the epoch, so consecutive requests share them.
        var start = from ?? LiveQualityRange.Align(to - span, bucket.Value);
        var count = LiveQualityRange.Count(to - start, bucket.Value);
        if (count > options.MaxBuckets)
        {
            var least = TimeSpan.FromMinutes(Math.Ceiling((to - start).TotalMinutes / options.MaxBuckets));
            return Invalid([new FieldError(0, "bucket", $"'bucket' {bucket} over {Seconds(to - start)} makes {count} buckets; at most {options.MaxBuckets}: use a bucket of at least {least}.")]);
        }

        return (new LiveQualityRange(start, to, bucket.Value), minLabels);
    }

    private static TimeSpan Seconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Round(span.TotalSeconds));

    private static Outcome<(LiveQualityRange, int)> Invalid(List<FieldError> errors) =>
        new Outcome<(LiveQualityRange, int)>.Invalid($"Invalid live quality query: {string.Join(" ", errors.Select(e => e.Message))}", errors);

    private static DateTimeOffset? Instant(string field, string? raw, List<FieldError> errors)
    {
        if (raw is null) return null;
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        errors.Add(new FieldError(0, field, $"'{field}' must be an ISO 8601 date or instant (e.g. 2026-12-07T15:00:00Z)."));
        return null;
    }

    private static TimeSpan? Bucket(string? raw, List<FieldError> errors)
    {
        if (raw is null) return null;
        TimeSpan? bucket = Compact().Match(raw) is { Success: true } m
            ? int.TryParse(m.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000
                ? m.Groups["unit"].Value switch { "m" => TimeSpan.FromMinutes(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) }
                : null
            : TimeSpan.TryParseExact(raw, "c", CultureInfo.InvariantCulture, out var exact) ? exact : null;
        if (bucket is null || bucket < MinBucket)
        {
            errors.Add(new FieldError(0, "bucket", $"'bucket' must be a duration of at least 1 minute: 15m, 1h, 1d or hh:mm:ss (e.g. 01:00:00), not '{(raw.Length <= 40 ? raw : raw[..40] + "…")}'."));
            return null;
        }

        return bucket;
    }

    [GeneratedRegex("^(?<n>[0-9]{1,6})(?<unit>[mhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex Compact();
}
