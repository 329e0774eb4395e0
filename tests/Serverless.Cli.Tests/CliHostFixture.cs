using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Local.Demo;
using Serverless.Local.Hosting;

namespace Serverless.Cli.Tests;

/// <summary>
/// A real local host (Kestrel on loopback, the durable pipeline on the test process's Azurite) with one churn model
/// trained twice through the tool itself, once per test class collection: <c>push</c> follows run 1 to a champion,
/// <c>push --no-wait</c> + <c>runs watch</c> follow run 2.
/// </summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    public const string AdminKey = "cli-test-admin-key";

    private LoopbackHost? _host;

    public TestFiles Files { get; } = new();

    public string Model { get; } = Azurite.UniqueModel("cli");

    public string Endpoint => _host!.Address.ToString().TrimEnd('/');

    public string ScoringKey => _host!.ScoringKey;

    public IServiceProvider Services => _host!.Services;

    public HttpClient Http { get; private set; } = null!;

    public CliRun FirstPush { get; private set; } = null!;

    public CliRun SecondPush { get; private set; } = null!;

    public CliRun SecondWatch { get; private set; } = null!;

    public string TrainingCsv => Files.File("train.csv");

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        _host = await LoopbackHost.StartAsync(Azurite.ConnectionString, AdminKey, "cli", o => o.WatchInterval = TimeSpan.FromMilliseconds(200));
        Http = _host.CreateClient();

        // The churn sample's spec, small: fewer trees, gates small data clears, every run promoted, no retraining on drift.
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Azurite.FindRoot(), "samples", "churn", "model.json")))!.AsObject();
        spec.Remove("$schema");
        spec["trainer"]!["hyperparameters"]!["numberOfTrees"] = 40;
        spec["gates"] = JsonNode.Parse("""{"thresholds": [{"metric": "auc", "min": 0.65}], "comparison": {"metric": "auc", "minImprovement": -1.0}}""");
        spec["monitoring"] = JsonNode.Parse("""{"retrainOnDrift": false, "drift": {"window": "01:00:00", "minWindowRows": 100, "datasetDriftShare": 0.2}}""");
        var put = await Http.PutAsync($"/api/models/{Model}", new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        await File.WriteAllTextAsync(TrainingCsv, ChurnSample.GenerateCsv(2000, 7));
        FirstPush = await RunAsync("push", TrainingCsv, "--model", Model, "--poll", "0.2");
        SecondPush = await RunAsync("push", TrainingCsv, "--model", Model, "--no-wait", "--json");
        var runId = (string)JsonNode.Parse(SecondPush.Out)!["runId"]!;
        SecondWatch = await RunAsync("runs", "watch", runId, "--poll", "0.2");
    }

    /// <summary>The tool against this host with the admin key.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.InvokeAsync(Files.Path, null, [.. args, "--endpoint", Endpoint, "--key", AdminKey]);

    public async Task<int?> ChampionAsync() =>
        (await Http.GetFromJsonAsync<JsonNode>($"/api/models/{Model}"))!["aliases"]?["champion"]?.GetValue<int>();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        Files.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CliHostCollection : ICollectionFixture<CliHostFixture>
{
    public const string Name = "cli against a local host";
}
