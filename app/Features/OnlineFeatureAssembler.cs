using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Core;
using Serverless.Core.FeatureStore;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Features;

/// <summary>
/// Predict rows for a model trained on feature views may carry only entity keys (and the raw inputs): each view's
/// features are fetched online for the view version on the model's card (<see cref="OnlineFeatureReader"/>: one
/// batched lookup per view, all views in parallel, cached) and written into the rows, so the usual parser and contract
/// see exactly the inputs the training set had. A value the client sends itself is kept; entity keys that are not
/// model inputs are removed.
/// </summary>
public sealed class OnlineFeatureAssembler(OnlineFeatureReader reader)
{
    /// <summary>The request with the features filled in, or the rows' field errors (a missing entity key).</summary>
    public async Task<(byte[]? Body, IReadOnlyList<FieldError> Errors)> AssembleAsync(IReadOnlyList<FeatureViewLineage> views, IReadOnlyList<FeatureSpec> inputs, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(inputs);
        if (JsonNode.Parse(body)?["rows"] is not JsonArray rows) return (body, []);
        var errors = new List<FieldError>();
        var keys = views.Select(_ => new string?[rows.Count]).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is not JsonObject row) continue;
            for (var v = 0; v < views.Count; v++)
            {
                var view = views[v];
                if (view.Features.All(row.ContainsKey)) continue;
                var parts = view.Definition.Entities.Select(e => row[e] is JsonValue k ? OnlineRequestValues.Key(k.Deserialize<JsonElement>()) : null).ToList();
                keys[v][r] = EntityKeys.Of(parts);
                if (keys[v][r] is null)
                {
                    errors.AddRange(view.Definition.Entities.Where(e => row[e] is null).Select(e => new FieldError(r, e, $"Send entity key '{e}' (to fetch feature view '{view.View}') or the view's features {string.Join(", ", view.Features)}.")));
                }
            }
        }

        if (errors.Count > 0) return (null, errors);
        var found = await reader.ReadAsync(
            [.. views.Select(v => v.AsRegistered())],
            [.. keys.Select(k => (IReadOnlyList<string>)[.. k.OfType<string>()])],
            ct).ConfigureAwait(false);

        var inputNames = inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is not JsonObject row) continue;
            for (var v = 0; v < views.Count; v++)
            {
                if (keys[v][r] is not { } key) continue;
                var online = found[v][key];
                foreach (var name in views[v].Features)
                {
                    if (row.ContainsKey(name)) continue;
                    var index = views[v].Definition.Features.Select(f => f.Name).ToList().IndexOf(name);
                    row[name] = online?.Values[index] is { } value ? Node(views[v].Definition.Features[index].Type, value) : null;
                }
            }

            foreach (var entity in views.SelectMany(v => v.Definition.Entities).Where(e => !inputNames.Contains(e)).Distinct())
            {
                row.Remove(entity);
            }
        }

        return (JsonSerializer.SerializeToUtf8Bytes(rows.Root, PlatformJson.Options), []);
    }

    private static JsonNode? Node(FeatureType type, object value) => type switch
    {
        FeatureType.Boolean => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) != 0),
        FeatureType.Numeric => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };
}
