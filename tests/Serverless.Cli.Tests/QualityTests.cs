using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cli;
using Serverless.Cli.Output;
using Serverless.Local.Demo;

namespace Serverless.Cli.Tests;

[Collection(CliHostCollection.Name)]
public sealed class QualityTests(CliHostFixture host)
{
    [Fact]
    public async Task Quality_show_prints_the_labeled_buckets_metrics_as_the_api_gives_them()
    {
        var champion = (await host.ChampionAsync())!.Value;
        var before = Logged(await SeriesAsync(), champion);
        var input = host.Files.Write("quality.csv", ChurnSample.GenerateCsv(40, 31));
        var scored = await host.RunAsync("predict", input, "--model", host.Model, "-o", host.Files.File("quality-out.csv"));
        Assert.True(scored.Code == 0, scored.ToString());
        var output = File.ReadAllLines(host.Files.File("quality-out.csv"));
        var column = Array.IndexOf(output[0].Split(','), "predictionId");
        var ids = output.Skip(1).Select(l => l.Split(',')[column]).ToList();
        Assert.Equal(40, ids.Count);
        // The prediction log is written in the background; feedback is checked against it.
        await Eventually.TrueAsync(async () => Logged(await SeriesAsync(), champion) >= before + ids.Count, TimeSpan.FromSeconds(30), "the predictions to be logged");
        var labels = ids.Select((id, i) => new { predictionId = id, label = i % 4 == 0 }).ToList();
        var accepted = await (await host.Http.PostAsync($"/api/models/{host.Model}/feedback", new StringContent(JsonSerializer.Serialize(labels), Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal(40, (int)accepted!["accepted"]!);

        var json = await host.RunAsync("quality", "show", host.Model, "--bucket", "1d", "--json");
        Assert.True(json.Code == 0, json.ToString());
        var series = JsonNode.Parse(json.Out)!;
        Assert.Equal("1.00:00:00", (string)series["bucket"]!);
        var bucket = series["versions"]!.AsArray().Single(v => (int)v!["version"]! == champion)!["buckets"]!.AsArray().Single(b => (long)b!["labeled"]! > 0)!;
        Assert.Equal(40, (long)bucket["labeled"]!);

        var table = await host.RunAsync("quality", "show", host.Model, "--bucket", "1d");
        Assert.True(table.Code == 0, table.ToString());
        Assert.Contains("1.00:00:00 buckets", table.Console);
        var from = ((DateTimeOffset)bucket["from"]!).UtcDateTime.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"│ v{champion}\s*│ {from}\s*│ {bucket["logged"]}\s*│ 40\s*│ [\d.]+ %\s*│ {JsonText.Number((double)bucket["metrics"]!["auc"]!)}\s*│ {JsonText.Number((double)bucket["metrics"]!["accuracy"]!)}\s*│", table.Console);
    }

    [Fact]
    public async Task Too_many_buckets_is_refused_naming_the_bucket()
    {
        var run = await host.RunAsync("quality", "show", host.Model, "--bucket", "1m");

        Assert.Equal(CliExitCodes.ApiError, run.Code);
        Assert.StartsWith("error: 400", run.Error);
        Assert.Contains("'bucket' 00:01:00", run.Error);
    }

    private async Task<JsonNode> SeriesAsync() => (await host.Http.GetFromJsonAsync<JsonNode>($"/api/models/{host.Model}/monitoring/quality?bucket=1d"))!;

    private static long Logged(JsonNode series, int version) =>
        series["versions"]!.AsArray().Where(v => (int)v!["version"]! == version).Select(v => (long)v!["logged"]!).SingleOrDefault();
}
