using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Hostile drops, concurrent drops and a promotion under load, through the real local host.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ReliabilityTests(LocalHostFixture host)
{
    [Fact]
    public async Task Every_hostile_file_ends_in_exactly_one_of_processed_or_quarantine_byte_identical()
    {
        var model = Azurite.UniqueModel("hostile");
        await host.PutSpecAsync(model, JsonSerializer.Serialize(HostileFiles.Spec, PlatformJson.Options));
        var files = HostileFiles.All();

        await Task.WhenAll(files.Select(f => host.DropAsync(model, f.FileName, f.Bytes)));
        var runs = await Task.WhenAll(files.Select(f => host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(f.Bytes)))));
        await Eventually.TrueAsync(async () => (await NamesAsync(host.Storage.Datasets, BlobLayout.IncomingPrefix(model))).Count == 0, TimeSpan.FromSeconds(30), "incoming/ to empty");

        for (var i = 0; i < files.Count; i++)
        {
            var (file, run) = (files[i], runs[i]);
            Assert.True(run.Status == "Completed", $"{file.Kind}: {run.Status} {run.Error}");
            Assert.True(file.ExpectAccepted == run.Result!.Ingest.Accepted, $"{file.Kind}: {run.Result.Ingest.Verdict} {run.Result.Ingest.Reason}");

            var prefix = BlobLayout.ProcessedPrefix(model, Sha(file.Bytes));
            var name = prefix + BlobLayout.SafeName(file.FileName);
            var inProcessed = await host.Storage.Processed.GetBlobClient(name).ExistsAsync();
            var inQuarantine = await host.Storage.Quarantine.GetBlobClient(name).ExistsAsync();
            Assert.True(inProcessed.Value ^ inQuarantine.Value, $"{file.Kind}: processed={inProcessed.Value}, quarantine={inQuarantine.Value}");
            var archive = inProcessed.Value ? host.Storage.Processed : host.Storage.Quarantine;
            Assert.Equal(file.ExpectAccepted, inProcessed.Value);
            Assert.Equal(file.Bytes, (await archive.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray());

            var report = await BlobJson.DownloadAsync<ValidationReport>(archive.GetBlobClient(prefix + BlobLayout.ReportName), default);
            if (file.ExpectedRule is { } rule)
            {
                Assert.True(report.ProblemCountsByRule.ContainsKey(rule), $"{file.Kind}: report lacks {rule}");
            }
        }
    }

    [Fact]
    public async Task The_same_file_dropped_five_times_at_once_gives_one_run_and_every_copy_is_kept()
    {
        var model = Azurite.UniqueModel("five");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var bytes = Samples.Csv(800, seed: 111);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => host.DropAsync(model, $"copy-{i}.csv", bytes)));
        await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));
        await Eventually.TrueAsync(async () => (await NamesAsync(host.Storage.Processed, BlobLayout.ProcessedPrefix(model, Sha(bytes)))).Count(n => n.EndsWith(".csv", StringComparison.Ordinal)) == 5,
            TimeSpan.FromSeconds(90), "all five copies to be archived");

        var details = await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Single(details!.Versions);
        Assert.Empty(await NamesAsync(host.Storage.Datasets, BlobLayout.IncomingPrefix(model)));
    }

    [Fact]
    public async Task Five_different_files_at_once_give_five_runs_five_versions_and_a_consistent_champion()
    {
        var model = Azurite.UniqueModel("many");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var drops = Enumerable.Range(0, 5).Select(i => Samples.Csv(800, seed: 120 + i)).ToList();

        await Task.WhenAll(drops.Select((b, i) => host.DropAsync(model, $"part-{i}.csv", b)));
        var runs = await Task.WhenAll(drops.Select(b => host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(b)))));

        Assert.All(runs, r => Assert.Equal("Completed", r.Status));
        Assert.Equal([1, 2, 3, 4, 5], runs.Select(r => r.Result!.Version!.Value).Order());
        var details = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!;
        Assert.Equal(5, details.Versions.Count);
        Assert.Equal(5, details.Versions.Select(v => v.RunId).Distinct().Count());

        // Every promotion is in the history, and the champion is the last one written.
        var promoted = runs.Where(r => r.Result!.Promoted).Select(r => r.Result!.Version!.Value).Order().ToList();
        Assert.Equal(promoted, details.AliasHistory.Where(h => h.Alias == ModelAliases.Champion).Select(h => h.Version).Order());
        Assert.Equal(details.AliasHistory.Last(h => h.Alias == ModelAliases.Champion).Version, details.Aliases[ModelAliases.Champion]);
        Assert.Equal([ModelAliases.Champion], details.Versions.Single(v => v.Version == details.Aliases[ModelAliases.Champion]).Aliases);
    }

    [Fact]
    public async Task A_promotion_during_a_thousand_concurrent_predictions_fails_none_and_each_answer_names_its_version()
    {
        var model = Azurite.UniqueModel("swap");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        foreach (var seed in new[] { 131, 132 })
        {
            var bytes = Samples.Csv(1200, seed);
            await host.DropAsync(model, $"v-{seed}.csv", bytes);
            Assert.True((await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)))).Result!.Promoted);
        }

        // What each version answers for the probe row, computed straight from the registered ONNX.
        var row = new Dictionary<string, object?>
        {
            ["tenure_months"] = 7, ["monthly_charges"] = 88.5, ["total_charges"] = 600.0, ["contract"] = "month-to-month", ["payment_method"] = "electronic-check",
            ["internet_service"] = "fiber", ["support_calls"] = 2, ["autopay"] = false, ["senior"] = true, ["region"] = "north",
        };
        var server = host.Services.GetRequiredService<ModelServer>();
        var expected = new Dictionary<int, double>();
        foreach (var v in new[] { 1, 2 })
        {
            var loaded = await server.GetVersionAsync(model, v, default);
            expected[v] = server.Predict(loaded, PredictionRequestParser.Parse(JsonSerializer.SerializeToUtf8Bytes(new[] { row }), loaded.RequestSchema, [])!).Predictions[0].Score!.Value;
        }

        Assert.NotEqual(expected[1], expected[2]);
        var body = JsonSerializer.Serialize(new { rows = new[] { row } });
        using var gate = new SemaphoreSlim(64);
        var promoted = false;
        var calls = Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (i == 300 && !promoted)
                {
                    promoted = true;
                    var promote = await host.Http.PostAsync($"/api/models/{model}/versions/1/promote", null);
                    Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
                }

                var response = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(body, Encoding.UTF8, "application/json"));
                return (response.StatusCode, Answer: response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options) : null);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(results, r => Assert.Equal(expected[r.Answer!.Version], r.Answer.Predictions[0].Score!.Value, 6));
        Assert.Contains(results, r => r.Answer!.Version == 1);
        Assert.Contains(results, r => r.Answer!.Version == 2);
    }

    private static async Task<List<string>> NamesAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        await foreach (var b in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(b.Name);
        }

        return names;
    }

    private static string Sha(byte[] bytes) => ContentHash.Sha256Hex(new MemoryStream(bytes));
}
