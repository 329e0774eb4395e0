using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Local.Demo;

namespace Serverless.Cli.Tests;

[Collection(CliHostCollection.Name)]
public sealed class DriftTests(CliHostFixture host)
{
    [Fact]
    public async Task Drift_show_draws_each_features_psi_after_a_shifted_batch()
    {
        // Production shifts: every charge 60 higher and everyone on a two-year contract; the rest as trained.
        var shifted = ChurnSample.GenerateCsv(2000, 97).TrimEnd('\n').Split('\n').Select((line, i) =>
        {
            if (i == 0) return line;
            var cells = line.Split(',');
            cells[2] = (double.Parse(cells[2], CultureInfo.InvariantCulture) + 60).ToString(CultureInfo.InvariantCulture);
            cells[4] = "two-year";
            return string.Join(',', cells);
        });
        var input = host.Files.Write("shifted.csv", string.Join('\n', shifted) + "\n");
        var scored = await host.RunAsync("predict", input, "--model", host.Model, "-o", host.Files.File("shifted-out.csv"), "--batch", "1000");
        Assert.True(scored.Code == 0, scored.ToString());

        // The prediction log is written in the background: check until the report sees the whole batch.
        var report = await Eventually.UntilAsync(async () =>
        {
            var check = await host.RunAsync("drift", "show", host.Model, "--check", "--json");
            Assert.True(check.Code == 0, check.ToString());
            var r = JsonNode.Parse(check.Out)!;
            return (long)r["currentRows"]! >= 2000 ? r : null;
        }, TimeSpan.FromSeconds(60), "the shifted batch to be logged", TimeSpan.FromMilliseconds(500));

        Assert.Equal("drift", (string)report["status"]!);
        var drifted = report["features"]!.AsArray().Where(f => (bool)f!["drifted"]!).Select(f => (string)f!["name"]!).ToList();
        Assert.Contains("contract", drifted);
        Assert.Contains("monthly_charges", drifted);

        // Without --check: the latest report, drawn.
        var show = await host.RunAsync("drift", "show", host.Model);
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains("PSI per feature", show.Console);
        Assert.Matches(@"contract\s+█+ \d+(\.\d+)?", show.Console);
        Assert.Matches(@"│ monthly_charges\s+│ \w+\s+│ [\d.]+\s+│.*│ yes\s+│", show.Console);
    }
}
