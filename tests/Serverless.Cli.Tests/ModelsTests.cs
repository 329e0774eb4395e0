using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Serverless.Cli.Tests;

[Collection(CliHostCollection.Name)]
public sealed class ModelsTests(CliHostFixture host)
{
    private async Task<int> ServedVersionAsync()
    {
        var row = new { tenure_months = 12, monthly_charges = 70.5, total_charges = 846.0, contract = "month-to-month", payment_method = "mailed-check", internet_service = "fiber", support_calls = 2, autopay = "no", senior = "0", region = "east" };
        var answer = await host.Http.PostAsJsonAsync($"/api/models/{host.Model}/predict", new { rows = new[] { row } });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonNode>())!["version"]!.GetValue<int>();
    }

    [Fact]
    public async Task Promote_changes_the_served_version_and_rollback_serves_the_previous_champion_again()
    {
        Assert.Equal(2, await host.ChampionAsync());
        var promote = await host.RunAsync("models", "promote", host.Model, "1");
        Assert.True(promote.Code == 0, promote.ToString());
        Assert.Contains("champion: 2 → 1", promote.Console);
        Assert.Equal(1, await ServedVersionAsync());

        var rollback = await host.RunAsync("models", "rollback", host.Model);
        Assert.True(rollback.Code == 0, rollback.ToString());
        Assert.Contains("champion: 1 → 2", rollback.Console);
        Assert.Equal(2, await ServedVersionAsync());
    }

    [Fact]
    public async Task List_show_and_compare_render_the_registry()
    {
        var list = await host.RunAsync("models", "list", "--json");
        Assert.True(list.Code == 0, list.ToString());
        var mine = JsonNode.Parse(list.Out)!.AsArray().Single(m => (string)m!["model"]! == host.Model)!;
        Assert.Equal(2, (int)mine["versions"]!);

        var show = await host.RunAsync("models", "show", host.Model);
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains("binary on 'churned', 10 features", show.Console);
        Assert.Matches(@"│ 2\s+│ [\d\- :]+ │ \w+\s+│ passed │ champion", show.Console);

        var compare = await host.RunAsync("models", "compare", host.Model, "1", "2");
        Assert.True(compare.Code == 0, compare.ToString());
        Assert.Matches(@"│ auc\s+│ 0\.\d+", compare.Console);
        Assert.Contains("same dataset version", compare.Console);

        var badCompare = await host.RunAsync("models", "compare", host.Model, "1", "9");
        Assert.Equal(CliExitCodes.ApiError, badCompare.Code);
        Assert.Contains("404", badCompare.Error);
        Assert.Contains("no version 9", badCompare.Error);
    }
}
