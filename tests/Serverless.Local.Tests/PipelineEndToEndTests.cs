using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.App.Runs;
using Serverless.App.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;
using Serverless.Core.Features;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class PipelineEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_dropped_csv_becomes_a_champion_whose_http_predictions_equal_in_process_mlnet()
    {
        var model = Azurite.UniqueModel("e2e");
        var specJson = Samples.SpecJson();
        await host.PutSpecAsync(model, specJson);
        var bytes = Samples.Csv(4000, seed: 11);

        await host.DropAsync(model, "customers 2026-11 (export).csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.Equal("Completed", run.Status);
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);
        Assert.Equal(1, run.Result.Version);
        Assert.Equal(PipelineSteps.All, run.Progress!.Steps.Select(s => s.Step));
        Assert.All(run.Progress.Steps, s => Assert.Equal("completed", s.Status));
        Assert.All(run.Progress.Steps, s => Assert.True(s.Seconds >= 0));

        // Small data under compute auto (the default) trains in the activity, and the run says where and why.
        Assert.Equal(Serverless.Core.Specs.Routing.TrainingPlacement.Activity, run.Result.Ingest.Placement?.Where);
        Assert.StartsWith("activity: 4,000 rows × 11 columns ≈ ", run.Progress.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);
        Assert.Contains(" ≤ 1.2 GiB budget; ", run.Progress.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);

        // The same training in this process: the contract and trainer are deterministic, so this is the served model's twin.
        var spec = ModelSpecValidator.Parse(specJson).Spec!;
        var data = DatasetContract.Validate(new MemoryStream(bytes), "x.csv", spec, CancellationToken.None).Data!;
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        var rows = trained.Holdout.Select(Enumerable.Range(0, 300).ToList());

        // The drift reference next to the card: features over every training row, predictions over the holdout only
        // (outputs on rows the model was fitted to are more confident than production traffic).
        var reference = await BlobJson.DownloadAsync<Serverless.Core.Monitoring.Drift.ReferenceProfile>(
            host.Storage.Registry.GetBlobClient(BlobLayout.RegistryReference(model, 1)), CancellationToken.None);
        Assert.Equal(data.RowCount, reference.Rows);
        Assert.Equal(spec.Features.Select(f => f.Name), reference.Features.Select(f => f.Name));
        Assert.Equal(trained.Holdout.RowCount, reference.Prediction!.Count);
        var expected = trained.MlNetModel!.Transform(new TabularDataView(rows)).GetColumn<float>("Probability").ToArray();

        var response = await host.Http.PostAsync($"/api/models/{model}/predict", Json(ToRequest(spec, rows)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!;

        Assert.Equal(1, body.Version);
        Assert.Equal(rows.RowCount, body.Predictions.Count);
        var maxDelta = body.Predictions.Select((p, i) => Math.Abs(p.Score!.Value - expected[i])).Max();
        Assert.True(maxDelta <= 1e-5, $"max |Δ| = {maxDelta}");
        Assert.Equal(body.Predictions.Count, body.Predictions.Select(p => p.Id).Distinct().Count());

        // A request that breaks the version's input contract gets every field error back.
        var bad = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows = new object[] { new { tenure_months = "ten", contract = 3 } } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!;
        Assert.Contains(errors, e => e is { Row: 0, Field: "tenure_months" });
        Assert.Contains(errors, e => e is { Row: 0, Field: "contract" });
        Assert.Contains(errors, e => e is { Row: 0, Field: "monthly_charges" });
        Assert.DoesNotContain(errors, e => e.Field == "total_charges");

        // Invalid UTF-8 inside a string is the caller's fault: a field error, not a 500.
        var raw = "{\"rows\":[{\"contract\":\"month\"}]}"u8.ToArray();
        raw[raw.AsSpan().IndexOf("month"u8)] = 0xFF;
        var garbled = await host.Http.PostAsync($"/api/models/{model}/predict", new ByteArrayContent(raw) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains((await garbled.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!, e => e is { Row: 0, Field: "contract" });

        // The snapshot and the original bytes are where the contract says.
        var sha = Sha(bytes);
        var archived = await host.Storage.Processed.GetBlobClient(BlobLayout.ProcessedPrefix(model, sha) + "customers 2026-11 (export).csv").DownloadContentAsync();
        Assert.Equal(bytes, archived.Value.Content.ToArray());
        Assert.True(await host.Storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).ExistsAsync());
        var manifest = await BlobJson.DownloadAsync<DatasetManifest>(host.Storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha)), default);
        Assert.Equal(4000, manifest.Rows);
        Assert.Empty(await IncomingAsync(model));
    }

    [Fact]
    public async Task The_same_bytes_dropped_twice_under_different_names_give_one_run_and_one_version()
    {
        var model = Azurite.UniqueModel("dup");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var bytes = Samples.Csv(1500, seed: 21);

        await Task.WhenAll(host.DropAsync(model, "first.csv", bytes), host.DropAsync(model, "second.csv", bytes));
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));
        await Eventually.TrueAsync(async () => (await IncomingAsync(model)).Count == 0, TimeSpan.FromSeconds(30), "incoming to empty");

        Assert.Equal("Completed", run.Status);
        var details = await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Single(details!.Versions);

        // Both originals are kept: the run's under processed/{sha}/, the duplicate under processed/{sha}/duplicates/.
        var names = new List<string>();
        await foreach (var b in host.Storage.Processed.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.ProcessedPrefix(model, Sha(bytes)) }))
        {
            names.Add(b.Name);
        }

        var listing = string.Join(", ", names);
        Assert.True(names.Count(n => n.EndsWith("/first.csv", StringComparison.Ordinal) || n.EndsWith("/second.csv", StringComparison.Ordinal)) == 1, listing);
        Assert.True(names.Count(n => n.Contains($"/{DropIntake.DuplicatesFolder}/", StringComparison.Ordinal)) == 1, listing);
    }

    [Fact]
    public async Task A_file_with_too_many_invalid_rows_is_quarantined_with_a_report_and_its_original_bytes()
    {
        var model = Azurite.UniqueModel("bad");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var lines = Encoding.UTF8.GetString(Samples.Csv(500, seed: 5)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = 1; i <= 50; i++)
        {
            // tenure_months (2nd column) far out of its declared range [0, 120] on 10% of rows.
            var cells = lines[i * 10 - 5].Split(',');
            cells[1] = "-7";
            lines[i * 10 - 5] = string.Join(',', cells);
        }

        var bytes = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
        await host.DropAsync(model, "bad.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.Equal("Completed", run.Status);
        Assert.Equal(RunOutcomes.Quarantined, run.Result!.Outcome);
        Assert.Null(run.Result.Version);
        Assert.Contains("out-of-range", run.Result.Ingest.Reason, StringComparison.Ordinal);

        var prefix = BlobLayout.QuarantinePrefix(model, Sha(bytes));
        var original = await host.Storage.Quarantine.GetBlobClient(prefix + "bad.csv").DownloadContentAsync();
        Assert.Equal(bytes, original.Value.Content.ToArray());
        var report = await BlobJson.DownloadAsync<ValidationReport>(host.Storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName), default);
        Assert.Equal(ValidationReport.Verdicts.Quarantined, report.Verdict);
        Assert.Equal(50, report.InvalidRows);
        Assert.Equal(50, report.RowProblems.Count(p => p.Rule == "out-of-range" && p.Column == "tenure_months" && p.Value == "-7"));
        Assert.Empty(await IncomingAsync(model));
        Assert.False(await host.Storage.Processed.GetBlobClient(prefix + "bad.csv").ExistsAsync());
        var versions = await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Empty(versions!.Versions);
    }

    [Fact]
    public async Task Promoting_an_older_version_rolls_back_what_predict_serves()
    {
        var model = Azurite.UniqueModel("rb");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        foreach (var seed in new[] { 31, 32 })
        {
            var bytes = Samples.Csv(1500, seed);
            await host.DropAsync(model, $"batch-{seed}.csv", bytes);
            var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));
            Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);
        }

        Assert.Equal(2, await ServedVersionAsync(model));

        // Callers keep scoring through the rollback: none may fail, and each answer names a real version.
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = new List<int>();
            while (!stop.IsCancellationRequested)
            {
                seen.Add(await ServedVersionAsync(model));
            }

            return seen;
        })).ToList();
        var promote = await host.Http.PostAsync($"/api/models/{model}/versions/1/promote", null);
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        var change = await promote.Content.ReadFromJsonAsync<PromoteResponse>(PlatformJson.Options);
        Assert.Equal(new PromoteResponse(model, ModelAliases.Champion, 1, 2), change);
        var history = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!.AliasHistory;
        Assert.Equal("key:admin-key", history[^1].By);
        Assert.All(history.SkipLast(1), h => Assert.Null(h.By)); // the pipeline's own promotions

        await Eventually.TrueAsync(async () => await ServedVersionAsync(model) == 1, TimeSpan.FromSeconds(5), "version 1 to be served");
        await stop.CancelAsync();
        var served = (await Task.WhenAll(callers)).SelectMany(v => v).ToList();
        Assert.NotEmpty(served);
        Assert.All(served, v => Assert.Contains(v, new[] { 1, 2 }));
        var missing = await host.Http.PostAsync($"/api/models/{model}/versions/9/promote", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_dropped_parquet_file_trains_like_its_csv()
    {
        var model = Azurite.UniqueModel("pq");
        var specJson = Samples.SpecJson();
        await host.PutSpecAsync(model, specJson);
        var spec = ModelSpecValidator.Parse(specJson).Spec!;
        var data = DatasetContract.Validate(new MemoryStream(Samples.Csv(2000, seed: 51)), "x.csv", spec, CancellationToken.None).Data!;
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, CancellationToken.None);
        var bytes = parquet.ToArray();

        await host.DropAsync(model, "export.parquet", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.True(run.Result?.Outcome == RunOutcomes.Promoted, run.Result?.Ingest.Reason ?? run.Error);
        Assert.Equal(2000, run.Result!.Ingest.Rows);
        Assert.Equal(0, run.Result.Ingest.DroppedRows);
    }

    [Fact]
    public async Task An_mlp_spec_is_trained_by_the_gpu_trainer_through_its_queues_and_registered()
    {
        var model = Azurite.UniqueModel("mlp");
        await host.PutSpecAsync(model, Samples.SpecJson(s =>
        {
            s["trainer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 16, "epochs": 20, "batchSize": 128}}""");
        }));
        var bytes = Samples.Csv(1500, seed: 141);

        await host.DropAsync(model, "mlp.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.True(run.Status == "Completed", run.Error);
        Assert.Equal(1, run.Result!.Version);
        Assert.Contains("on cpu", run.Progress!.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);
        var details = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!;
        Assert.Equal(TrainerKind.Mlp, details.Versions.Single().Trainer);
        Assert.InRange(details.Versions.Single().Metrics["auc"], 0.65, 1.0);
    }

    [Fact]
    public async Task An_mlp_spec_with_three_replicas_is_dispatched_as_three_requests_that_train_one_model()
    {
        var model = Azurite.UniqueModel("replicas");
        await host.PutSpecAsync(model, Samples.SpecJson(s =>
        {
            s["trainer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 16, "epochs": 5, "batchSize": 128, "replicas": 3}}""");
        }));
        var bytes = Samples.Csv(1500, seed: 143);

        await host.DropAsync(model, "replicas.csv", bytes);
        var runId = DropIntake.RunIdFor(model, Sha(bytes));
        var run = await host.WaitForRunAsync(runId);

        // The local host's in-process trainer took the three requests at once; replica 0 wrote the model.
        Assert.True(run.Status == "Completed", run.Error);
        Assert.Equal(1, run.Result!.Version);
        var training = await new RunArtifacts(host.Storage).ReadTrainingAsync(model, runId, default);
        Assert.Equal("3", training.TrainerParameters["replicas"]);
        var contributors = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in host.Storage.Runs.GetBlobsAsync(new() { Prefix = BlobLayout.RunSyncRound(model, runId, 0) })) contributors.Add(blob.Name[^1..]);
        Assert.Equal(["0", "1", "2"], contributors.Order());
        var details = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!;
        Assert.InRange(details.Versions.Single().Metrics["auc"], 0.65, 1.0);
    }

    [Fact]
    public async Task A_gpu_trainer_that_does_not_answer_in_time_fails_the_run_and_registers_nothing()
    {
        var model = Azurite.UniqueModel("slow");
        await host.PutSpecAsync(model, Samples.SpecJson(s =>
        {
            s["trainer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type": "mlp", "timeout": "00:00:00.200", "hyperparameters": {"epochs": 50}}""");
        }));
        var bytes = Samples.Csv(1500, seed: 142);

        await host.DropAsync(model, "slow.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.Equal("Failed", run.Status);
        Assert.Equal(PipelineSteps.Train, run.Progress!.Step);
        Assert.Contains("did not answer within", run.Progress.Error, StringComparison.Ordinal);
        Assert.Empty((await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!.Versions);
    }

    [Fact]
    public async Task A_run_can_be_started_on_an_existing_dataset_version()
    {
        var model = Azurite.UniqueModel("rerun");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var bytes = Samples.Csv(1200, seed: 41);
        await host.DropAsync(model, "data.csv", bytes);
        await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        var start = await host.Http.PostAsync($"/api/models/{model}/runs", Json(new { datasetVersion = Sha(bytes) }));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = (await start.Content.ReadFromJsonAsync<RunStarted>(PlatformJson.Options))!;
        var rerun = await host.WaitForRunAsync(started.RunId);

        Assert.Equal(RunOutcomes.Promoted, rerun.Result!.Outcome);
        Assert.Equal(2, rerun.Result.Version);
        var unknown = await host.Http.PostAsync($"/api/models/{model}/runs", Json(new { datasetVersion = new string('0', 64) }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<int> ServedVersionAsync(string model)
    {
        var row = new Dictionary<string, object?>
        {
            ["tenure_months"] = 5, ["monthly_charges"] = 80.0, ["total_charges"] = null, ["contract"] = "one-year",
            ["payment_method"] = "mailed-check", ["internet_service"] = "dsl", ["support_calls"] = 1, ["autopay"] = false,
            ["senior"] = true, ["region"] = "south",
        };
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows = new[] { row } }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Version;
    }

    private async Task<List<string>> IncomingAsync(string model)
    {
        var names = new List<string>();
        await foreach (var b in host.Storage.Datasets.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.IncomingPrefix(model) }))
        {
            names.Add(b.Name);
        }

        return names;
    }

    private static object ToRequest(ModelSpec spec, TabularDataset rows) => new
    {
        rows = Enumerable.Range(0, rows.RowCount).Select(i => spec.Features.ToDictionary(
            f => f.Name,
            f => f.Type switch
            {
                FeatureType.Categorical => (object?)rows[f.Name].TextValues[i],
                FeatureType.Boolean => float.IsNaN(rows[f.Name].FloatValues[i]) ? null : rows[f.Name].FloatValues[i] == 1f,
                _ => float.IsNaN(rows[f.Name].FloatValues[i]) ? null : (double)rows[f.Name].FloatValues[i],
            })),
    };

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static string Sha(byte[] bytes) => ContentHash.Sha256Hex(new MemoryStream(bytes));
}
