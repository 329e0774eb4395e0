using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// A run's log read along its cursor (<c>GET /api/runs/{id}/logs?after=</c>): each call fetches and prints what was
/// written since the last, page after page, so <c>runs logs --follow</c> and <c>runs watch</c> show new lines as they come.
/// </summary>
public sealed class RunLogTail(CliContext c, string runId, string? minimumLevel = null)
{
    /// <summary>Levels in increasing order, as the API names them.</summary>
    public static readonly string[] Levels = ["debug", "information", "warning", "error", "critical"];

    private const int PageSize = 500;

    private long _after;

    /// <summary>Every line read so far (for <c>--json</c>).</summary>
    public JsonArray Lines { get; } = [];

    /// <summary>The run's status with the last page (as <c>GET /api/runs/{id}</c> reports it).</summary>
    public string RunStatus { get; private set; } = "";

    public bool RunActive => RunStatus is "Pending" or "Running" or "";

    /// <summary>Reads (and, unless <c>--json</c>, prints) every line written since the last call.</summary>
    public async Task ReadNewAsync(CancellationToken ct)
    {
        while (true)
        {
            var page = await c.Client.GetAsync($"runs/{Uri.EscapeDataString(runId)}/logs?after={_after.ToString(CultureInfo.InvariantCulture)}&limit={PageSize}", ct).ConfigureAwait(false);
            foreach (var line in page["lines"]?.AsArray() ?? [])
            {
                if (line is null || !Shown(JsonText.Of(line["level"]))) continue;
                Lines.Add(line.DeepClone());
                if (!c.Json) Print(c.Console, line);
            }

            _after = page["next"]?.GetValue<long>() ?? _after;
            RunStatus = JsonText.Of(page["runStatus"]);
            if (page["more"]?.GetValue<bool>() != true) return;
        }
    }

    /// <summary><c>21:03:04.120 train    [job] Run … epoch 3: train loss …</c>; warnings yellow, errors red.</summary>
    public static void Print(IAnsiConsole console, JsonNode line)
    {
        var at = DateTimeOffset.TryParse(JsonText.Of(line["at"]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : "            ";
        var source = JsonText.Of(line["source"]) is "job" ? "[job] " : "";
        var text = $"{at} {JsonText.Cell(line["step"]),-9} {Markup.Escape(source)}{JsonText.Cell(line["message"])}";
        console.MarkupLine(JsonText.Of(line["level"]) switch
        {
            "warning" => $"[yellow]{text}[/]",
            "error" or "critical" => $"[red]{text}[/]",
            _ => text,
        });
    }

    private bool Shown(string level) => minimumLevel is null || Rank(level) >= Rank(minimumLevel);

    private static int Rank(string level) => Array.IndexOf(Levels, level) is var i and >= 0 ? i : Levels.Length;
}
