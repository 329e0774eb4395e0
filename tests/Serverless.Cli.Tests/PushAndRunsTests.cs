using System.Text.Json.Nodes;

namespace Serverless.Cli.Tests;

[Collection(CliHostCollection.Name)]
public sealed class PushAndRunsTests(CliHostFixture host)
{
    [Fact]
    public async Task Push_uploads_and_follows_every_step_to_a_champion()
    {
        var push = host.FirstPush;
        Assert.True(push.Code == 0, push.ToString());
        foreach (var step in new[] { "ingest", "train", "evaluate", "register", "promote" })
        {
            Assert.Matches($@"✓ {step}\s+\d+\.\d\d s", push.Console);
        }

        Assert.Matches(@"Uploaded train\.csv \([\d.]+ KiB\)", push.Console);
        Assert.Matches(@"promoted version \d: auc 0\.\d+", push.Console);
        Assert.NotNull(await host.ChampionAsync());
    }

    [Fact]
    public async Task No_wait_returns_the_run_and_runs_watch_follows_it_to_the_end()
    {
        Assert.True(host.SecondPush.Code == 0, host.SecondPush.ToString());
        var runId = (string)JsonNode.Parse(host.SecondPush.Out)!["runId"]!;
        Assert.StartsWith(host.Model + "-", runId);
        Assert.True(host.SecondWatch.Code == 0, host.SecondWatch.ToString());
        Assert.Contains("✓ promote", host.SecondWatch.Console);

        var list = await host.RunAsync("runs", "list", "--model", host.Model, "--json");
        Assert.True(list.Code == 0, list.ToString());
        var runs = JsonNode.Parse(list.Out)!["runs"]!.AsArray();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(("completed", "promoted"), ((string)r!["status"]!, (string)r["outcome"]!)));
        Assert.Contains(runs, r => (string)r!["runId"]! == runId);

        var table = await host.RunAsync("runs", "list", "--model", host.Model, "--status", "promoted");
        Assert.True(table.Code == 0, table.ToString());
        Assert.Contains(runId, table.Console);

        var show = await host.RunAsync("runs", "show", runId);
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains(runId, show.Console);
        Assert.Contains("promoted version", show.Console);
        Assert.Matches(@"│ register\s+│ completed", show.Console);
    }

    [Fact]
    public async Task Cancel_of_a_finished_run_is_refused_with_the_servers_reason()
    {
        var runId = (string)JsonNode.Parse(host.SecondPush.Out)!["runId"]!;
        var cancel = await host.RunAsync("runs", "cancel", runId);
        Assert.Equal(CliExitCodes.ApiError, cancel.Code);
        Assert.Contains("409 Run not active", cancel.Error);
        Assert.Contains("only a pending or running run can be canceled", cancel.Error);
    }
}
