using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.App.Intake;
using Serverless.App.Models;
using Serverless.App.Runs;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary><c>GET …/runs</c>, run detail, rerun and version compare on the real local host (task hub on Azurite).</summary>
[Collection(LocalHostCollection.Name)]
public sealed class RunHistoryEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task The_run_list_pages_filters_and_never_shows_a_model_whose_name_extends_this_one()
    {
        var model = Azurite.UniqueModel("runs");
        var longer = model + "-2"; // its run ids start with "{model}-" too
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        await host.PutSpecAsync(longer, Samples.AlwaysPromoteSpecJson());
        var (a, b, c) = (Samples.Csv(600, seed: 21), Samples.Csv(600, seed: 22), Samples.Csv(600, seed: 23));
        await host.DropAsync(model, "a.csv", a);
        await host.DropAsync(model, "b.csv", b);
        await host.DropAsync(longer, "c.csv", c);
        string[] drops = [DropIntake.RunIdFor(model, Sha(a)), DropIntake.RunIdFor(model, Sha(b))];
        foreach (var id in drops.Append(DropIntake.RunIdFor(longer, Sha(c)))) Assert.Equal("Completed", (await host.WaitForRunAsync(id)).Status);

        var started = await Accepted<RunStarted>(await host.Http.PostAsync($"/api/models/{model}/runs", Json(new { datasetVersion = Sha(a) })));
        Assert.Equal("Completed", (await host.WaitForRunAsync(started.RunId)).Status);

        // One run per page, across pages, ends with a null token: exactly this model's three runs, each once.
        var pages = new List<RunPage>();
        string? token = null;
        do
        {
            pages.Add(await ListAsync(model, $"pageSize=1{(token is null ? "" : "&continuationToken=" + token)}"));
            token = pages[^1].ContinuationToken;
        }
        while (token is not null && pages.Count < 10);
        var listed = pages.SelectMany(p => p.Runs).ToList();
        Assert.All(pages, p => Assert.True(p.Runs.Count <= 1));
        Assert.Equal(drops.Append(started.RunId).Order(), listed.Select(r => r.RunId).Order());
        Assert.All(listed, r => Assert.Equal((model, RunStatuses.Completed), (r.Model, r.Status)));
        Assert.All(listed, r => Assert.Contains(r.Outcome, new[] { RunOutcomes.Promoted, RunOutcomes.Registered })); // concurrent drops race for champion
        Assert.All(listed, r => Assert.True(r.Metrics!["auc"] > 0.5));
        Assert.Equal(started.RunId, Assert.Single(listed, r => r.Trigger == RunTriggers.DatasetVersion).RunId);
        Assert.Equal(drops.Order(), listed.Where(r => r.Trigger == RunTriggers.Drop).Select(r => r.RunId).Order());

        // Filters: trigger, status (an outcome, an orchestration state), and the creation-time range.
        Assert.Equal(drops.Order(), (await ListAsync(model, "trigger=drop")).Runs.Select(r => r.RunId).Order());
        Assert.Equal(listed.Where(r => r.Outcome == RunOutcomes.Promoted).Select(r => r.RunId).Order(), (await ListAsync(model, "status=promoted,failed")).Runs.Select(r => r.RunId).Order());
        Assert.Equal(3, (await ListAsync(model, "status=promoted&status=registered")).Runs.Count);
        Assert.Empty((await ListAsync(model, "status=failed&status=canceled")).Runs);
        Assert.Empty((await ListAsync(model, "trigger=rerun")).Runs);
        var newest = listed.Max(r => r.CreatedAt);
        Assert.Empty((await ListAsync(model, $"from={Uri.EscapeDataString(newest.AddMinutes(1).ToString("O"))}")).Runs);
        Assert.Equal(3, (await ListAsync(model, $"from={Uri.EscapeDataString(listed.Min(r => r.CreatedAt).AddSeconds(-1).ToString("O"))}&to={Uri.EscapeDataString(newest.AddSeconds(1).ToString("O"))}")).Runs.Count);
        Assert.Equal([DropIntake.RunIdFor(longer, Sha(c))], (await ListAsync(longer, "")).Runs.Select(r => r.RunId));

        // Every bad field at once, by name.
        var bad = await host.Http.GetAsync($"/api/models/{model}/runs?status=done&trigger=cron&pageSize=1000&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Equal(["status", "trigger", "from", "pageSize"], fields);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/runs?continuationToken=%%%")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.GetAsync($"/api/models/{model}/runs")).StatusCode);
    }

    [Fact]
    public async Task A_rerun_trains_the_same_dataset_version_under_a_new_id_and_compare_shows_what_differs()
    {
        var model = Azurite.UniqueModel("rerun");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var bytes = Samples.Csv(800, seed: 31);
        await host.DropAsync(model, "first.csv", bytes);
        var first = DropIntake.RunIdFor(model, Sha(bytes));
        Assert.Equal("Completed", (await host.WaitForRunAsync(first)).Status);

        // The detail joins the hub's view with the run's files.
        var detail = await DetailAsync(first);
        Assert.Equal((model, RunTriggers.Drop), (detail.Model, detail.Trigger));
        Assert.Equal((Sha(bytes), 800L), (detail.Dataset!.Sha256, detail.Dataset.Rows));
        Assert.Equal(Serverless.Core.Specs.TrainerKind.LightGbm, detail.Trainer!.Type);
        Assert.Equal(40.0, detail.Trainer.Get("numberOfTrees"));
        Assert.Equal("40", detail.Training!.Parameters["numberOfTrees"]);
        Assert.Equal(800, detail.Training.TrainRows + detail.Training.HoldoutRows);
        Assert.Null(detail.Training.LossCurve); // trees have none
        Assert.Equal(Serverless.Core.Specs.Routing.TrainingPlacement.Activity, detail.Placement!.Where);
        Assert.True(detail.Gate!.Passed);
        Assert.Equal(detail.Result!.Metrics!["auc"], detail.Gate.CandidateMetrics["auc"], 12);
        Assert.Null(detail.Canceled);

        // Rerun under a changed spec: same data, new id, trigger rerun, a second version.
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s => s["trainer"]!["hyperparameters"]!["numberOfTrees"] = 20));
        var rerun = await Accepted<RunStarted>(await host.Http.PostAsync($"/api/runs/{first}/rerun", null));
        Assert.NotEqual(first, rerun.RunId);
        Assert.Equal("Completed", (await host.WaitForRunAsync(rerun.RunId)).Status);
        var second = await DetailAsync(rerun.RunId);
        Assert.Equal((RunTriggers.Rerun, first, Sha(bytes)), (second.Trigger, second.Input!.RerunOf, second.Input.DatasetSha256));
        Assert.Equal(2, second.Result!.Version);
        Assert.Equal([rerun.RunId], (await ListAsync(model, "trigger=rerun")).Runs.Select(r => r.RunId));

        var compare = await host.Http.GetFromJsonAsync<VersionComparison>($"/api/models/{model}/versions/compare?a=1&b=2", PlatformJson.Options);
        Assert.Equal((1, 2, first, rerun.RunId), (compare!.A.Version, compare.B.Version, compare.A.RunId, compare.B.RunId));
        var auc = Assert.Single(compare.Metrics, m => m.Metric == "auc");
        Assert.Equal(auc.B!.Value - auc.A!.Value, auc.Delta!.Value, 12);
        Assert.Equal(auc.B > auc.A ? "b" : auc.B < auc.A ? "a" : "tie", auc.Better);
        Assert.Equal(new ValueChange("numberOfTrees", "40", "20"), Assert.Single(compare.Parameters, p => p.Name == "numberOfTrees"));
        Assert.Contains(new ValueChange("trainer.hyperparameters.numberOfTrees", "40", "20"), compare.Spec!);
        Assert.True(compare.Dataset.SameVersion);
        Assert.Equal((800L, 800L), (compare.Dataset.A.Rows, compare.Dataset.B.Rows));
        Assert.Empty(compare.Dataset.Schema);
        Assert.Empty(compare.Dataset.Features); // same rows, same profiles
        Assert.Equal(compare.A.Placement, compare.B.Placement);

        // Clear errors.
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/versions/compare?a=1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/versions/compare?a=one&b=2")).StatusCode);
        var missing = await host.Http.GetAsync($"/api/models/{model}/versions/compare?a=1&b=99");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no version 99", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync($"/api/runs/{model}-nope/rerun", null)).StatusCode);
        var finished = await host.Http.PostAsync($"/api/runs/{first}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
        Assert.Contains("is completed", await finished.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync($"/api/runs/{model}-nope/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task An_mlp_run_keeps_its_loss_curve_and_shows_it_in_the_run_detail()
    {
        var model = Azurite.UniqueModel("curve");
        await host.PutSpecAsync(model, Samples.SpecJson(s =>
            s["trainer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 8, "epochs": 6, "batchSize": 128}}""")));
        var bytes = Samples.Csv(1000, seed: 51);
        await host.DropAsync(model, "mlp.csv", bytes);
        var runId = DropIntake.RunIdFor(model, Sha(bytes));
        var run = await host.WaitForRunAsync(runId);
        Assert.True(run.Status == "Completed", run.Error);

        var training = (await DetailAsync(runId)).Training!;
        var curve = training.LossCurve!;
        var parameter = (string name) => double.Parse(training.Parameters[name], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(1, (int)parameter("epochsRun")), curve.Select(e => e.Epoch));
        Assert.All(curve, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainLoss > 0 && double.IsFinite(e.ValidationLoss) && e.ValidationLoss > 0 && e.Seconds >= 0));
        var best = curve[(int)parameter("bestEpoch") - 1];
        Assert.Equal(parameter("validationLoss"), best.ValidationLoss, 12);
        Assert.Equal(curve.Min(e => e.ValidationLoss), best.ValidationLoss);
    }

    private async Task<RunPage> ListAsync(string model, string query)
    {
        var response = await host.Http.GetAsync($"/api/models/{model}/runs?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunPage>(PlatformJson.Options))!;
    }

    private async Task<RunDetail> DetailAsync(string runId) =>
        (await host.Http.GetFromJsonAsync<RunDetail>($"/api/runs/{runId}", PlatformJson.Options))!;

    private static async Task<T> Accepted<T>(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(PlatformJson.Options))!;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, PlatformJson.Options), Encoding.UTF8, "application/json");

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
