using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Serverless.Cli.Output;

/// <summary>Short, escaped text for table cells from the API's JSON values.</summary>
public static class JsonText
{
    public static string Of(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v.GetValue<double>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>As <see cref="Of"/>, escaped for Spectre markup.</summary>
    public static string Cell(JsonNode? node) => Markup.Escape(Of(node));

    public static string Number(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A metrics object as "auc 0.8182, logLoss 0.4964".</summary>
    public static string Metrics(JsonNode? metrics) =>
        metrics is JsonObject o ? string.Join(", ", o.Select(kv => $"{kv.Key} {Of(kv.Value)}")) : "";

    /// <summary>An ISO timestamp as "yyyy-MM-dd HH:mm:ss" (UTC).</summary>
    public static string Time(JsonNode? node) =>
        node is JsonValue v && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : Of(node);
}
