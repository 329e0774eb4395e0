using System.Text.Json;
using Serverless.Core.FeatureStore;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Features;

/// <summary>
/// <c>POST /api/features/{view}/push</c>: <c>{"rows": [{entity keys, timestamp column, features}]}</c> straight into the
/// online store (streaming updates between materializations). Every row is checked before anything is written: keys
/// present (text or a number), the time ISO 8601, each feature of its type or null, no unknown field.
/// </summary>
public sealed class FeaturePushRequests(FeatureViewCatalog catalog, OnlineFeatureStore online)
{
    public const int MaxRows = 10_000;

    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task<Outcome<FeaturePushResult>> PushAsync(string viewName, byte[] body, CancellationToken ct)
    {
        if (catalog.Find(viewName) is not { } view) return new Outcome<FeaturePushResult>.NotFound($"There is no feature view '{viewName}'.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return new Outcome<FeaturePushResult>.Invalid("The body is not JSON: " + e.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() == 0)
            {
                return new Outcome<FeaturePushResult>.Invalid("Expected {\"rows\": [...]} with at least one row.");
            }

            if (rows.GetArrayLength() > MaxRows) return new Outcome<FeaturePushResult>.TooLarge($"{rows.GetArrayLength()} rows exceed the limit of {MaxRows} per push.");
            var errors = new List<FieldError>();
            var parsed = new List<OnlineFeatureRow>();
            var i = 0;
            foreach (var row in rows.EnumerateArray())
            {
                if (Parse(view.View, row, i++, errors) is { } r) parsed.Add(r);
            }

            if (errors.Count > 0) return new Outcome<FeaturePushResult>.Invalid($"{errors.Count} problem(s) in the pushed rows; nothing was written.", errors);
            var written = await online.WriteAsync(view, parsed, ct).ConfigureAwait(false);
            FeatureStoreTelemetry.MaterializedRows.Add(written, new("view", view.View.Name), new("way", "push"));
            return new FeaturePushResult(view.View.Name, view.Version, parsed.Count, written);
        }
    }

    private static OnlineFeatureRow? Parse(FeatureView view, JsonElement row, int index, List<FieldError> errors)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(index, "", "Each row must be an object."));
            return null;
        }

        var before = errors.Count;
        foreach (var property in row.EnumerateObject())
        {
            if (!view.Entities.Contains(property.Name) && property.Name != view.Source.TimestampColumn && view.FindFeature(property.Name) is null)
            {
                errors.Add(new(index, property.Name, $"Unknown field; view '{view.Name}' has entity keys {string.Join(", ", view.Entities)}, timestamp '{view.Source.TimestampColumn}' and features {string.Join(", ", view.Features.Select(f => f.Name))}."));
            }
        }

        var keys = new List<string?>();
        foreach (var entity in view.Entities)
        {
            keys.Add(row.TryGetProperty(entity, out var k) && OnlineRequestValues.Key(k) is { } key ? key : null);
            if (keys[^1] is null) errors.Add(new(index, entity, "An entity key is required: a string or a number."));
        }

        DateTimeOffset time = default;
        if (!row.TryGetProperty(view.Source.TimestampColumn, out var ts) || ts.ValueKind != JsonValueKind.String || !EventTime.TryParse(ts.GetString(), out var ticks))
        {
            errors.Add(new(index, view.Source.TimestampColumn, "The event time is required as an ISO 8601 string."));
        }
        else
        {
            time = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        var values = new object?[view.Features.Count];
        for (var f = 0; f < values.Length; f++)
        {
            var feature = view.Features[f];
            if (!row.TryGetProperty(feature.Name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            values[f] = OnlineRequestValues.Value(feature.Type, v, out var problem);
            if (problem is not null) errors.Add(new(index, feature.Name, problem));
        }

        return errors.Count == before ? new OnlineFeatureRow(EntityKeys.Of(keys)!, time, values) : null;
    }
}
