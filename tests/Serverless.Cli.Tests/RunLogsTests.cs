using System.Text.Json.Nodes;

namespace Serverless.Cli.Tests;

/// <summary><c>runs logs</c> and the log lines <c>runs watch</c> prints, against the real local host.</summary>
[Collection(CliHostCollection.Name)]
public sealed class RunLogsTests(CliHostFixture host)
{
    [Fact]
    public void Runs_watch_prints_the_runs_log_lines_between_its_steps()
    {
        var watch = host.SecondWatch;
        Assert.True(watch.Code == 0, watch.ToString());
        Assert.Matches(@"\d\d:\d\d:\d\d\.\d{3} ingest\s+Read \S+: \d+ rows, \d+ kept", watch.Console);
        Assert.Matches(@"\d\d:\d\d:\d\d\.\d{3} evaluate\s+Gate check ", watch.Console);

        // Lines come with the steps, not all at the end: the ingest line is printed before the train step's tick.
        Assert.True(watch.Console.IndexOf(" ingest    Read ", StringComparison.Ordinal) < watch.Console.IndexOf("✓ train", StringComparison.Ordinal), watch.Console);
    }

    [Fact]
    public async Task Runs_logs_prints_a_finished_runs_lines_filters_by_level_and_follow_returns_once_it_has_ended()
    {
        var runId = (string)JsonNode.Parse(host.SecondPush.Out)!["runId"]!;
        var text = await host.RunAsync("runs", "logs", runId);
        Assert.True(text.Code == 0, text.ToString());
        Assert.Matches(@"train\s+Training set: \d+ rows, 10 features", text.Console);
        Assert.Contains("Gate passed", text.Console);

        var json = await host.RunAsync("runs", "logs", runId, "--json", "--follow");
        Assert.True(json.Code == 0, json.ToString());
        var answer = JsonNode.Parse(json.Out)!;
        Assert.Equal("Completed", (string)answer["runStatus"]!);
        var lines = answer["lines"]!.AsArray();
        Assert.Equal(["ingest", "train", "evaluate", "register", "promote"], lines.Select(l => (string)l!["step"]!).Distinct());

        var warnings = JsonNode.Parse((await host.RunAsync("runs", "logs", runId, "--json", "--level", "warning")).Out)!["lines"]!.AsArray();
        Assert.True(warnings.Count < lines.Count);
        Assert.All(warnings, l => Assert.Contains((string)l!["level"]!, new[] { "warning", "error", "critical" }));

        var unknown = await host.RunAsync("runs", "logs", host.Model + "-no-such-run");
        Assert.Equal(CliExitCodes.ApiError, unknown.Code);
        Assert.Contains("404", unknown.Error);
        Assert.NotEqual(0, (await host.RunAsync("runs", "logs", runId, "--level", "loud")).Code);
    }
}
