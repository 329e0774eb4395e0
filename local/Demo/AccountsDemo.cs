using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.App.Http.Auth;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Registry;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline.Features;
using Serverless.Local.Hosting;

namespace Serverless.Local.Demo;

/// <summary>
/// <c>dotnet run --project local -- demo accounts</c>: the two-view feature store sample. Lands the sources of
/// <c>customer_profile</c> and <c>customer_usage</c> as dataset snapshots (as the CRM export and the usage job would),
/// drops the entity dataframe (keys, event times, labels) for model <c>accounts</c>, follows the run (the train step
/// joins the views point-in-time), materializes the views into the online store and scores one customer by key only.
/// </summary>
public static class AccountsDemo
{
    public const string Model = "accounts";

    public const string DataFile = "labels.csv";

    public const int Customers = 1500;

    /// <summary>The customer the demo scores.</summary>
    public const string Customer = "A10017";

    /// <summary>On the running local host, as an admin client would call it.</summary>
    public static async Task<int> RunAsync(WebApplication app, CancellationToken ct)
    {
        var options = app.Services.GetRequiredService<IOptions<LocalHostOptions>>().Value;
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{options.Port}"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, options.AdminKey);
        await Console.Out.WriteLineAsync($"▶ Local host on {http.BaseAddress} (storage: Azurite, durable backend: Azure Storage)").ConfigureAwait(false);
        var code = await RunAsync(app.Services, http, Console.Out, ct).ConfigureAwait(false);
        if (code == 0) await Console.Out.WriteLineAsync("\nThe host keeps running (Ctrl+C to stop).").ConfigureAwait(false);
        return code;
    }

    public static async Task<int> RunAsync(IServiceProvider services, HttpClient http, TextWriter output, CancellationToken ct)
    {
        var root = RepositoryRoot.Find() ?? Directory.GetCurrentDirectory();
        var specPath = Path.Combine(root, "samples", Model, "model.json");
        var time = services.GetRequiredService<TimeProvider>();
        var storage = services.GetRequiredService<PlatformStorage>();
        var now = time.GetUtcNow();
        var sample = AccountsSample.Generate(Customers, new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));

        var catalog = services.GetRequiredService<FeatureViewCatalog>();
        foreach (var (viewName, rows) in new[] { ("customer_profile", sample.Profile), ("customer_usage", sample.Usage) })
        {
            var view = catalog.Find(viewName) ?? throw new InvalidOperationException($"Feature view '{viewName}' is not in the catalog (features/{viewName}.json).");
            var parquet = await DatasetVersions.ToParquetAsync(rows, ct).ConfigureAwait(false);
            var sha = Convert.ToHexStringLower(SHA256.HashData(parquet));
            var manifest = new DatasetManifest(view.View.Source.Dataset, sha, rows.RowCount, DatasetManifest.DescribeSchema(rows, ""), $"{Model}-sample", now, 0, "");
            await DatasetVersions.WriteAsync(storage, manifest, parquet, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"▶ Source of {viewName} v{view.Version}: {rows.RowCount:N0} rows → {BlobLayout.DatasetsContainer}/{BlobLayout.DatasetData(manifest.Model, sha)}").ConfigureAwait(false);
        }

        var put = await http.PutAsync($"/api/models/{Model}", new StringContent(await File.ReadAllTextAsync(specPath, ct).ConfigureAwait(false)), ct).ConfigureAwait(false);
        await output.WriteLineAsync($"▶ PUT /api/models/{Model} → {(int)put.StatusCode} ({specPath}: featureViews customer_profile, customer_usage)").ConfigureAwait(false);
        if (!put.IsSuccessStatusCode)
        {
            await output.WriteLineAsync(await put.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
            return 1;
        }

        var bytes = Encoding.UTF8.GetBytes(sample.LabelsCsv);
        var upload = await storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(Model, DataFile)).UploadAsync(new BinaryData(bytes), overwrite: true, ct).ConfigureAwait(false);
        var runId = await DropRun.FindAsync(storage, Model, DataFile, Convert.ToHexStringLower(SHA256.HashData(bytes)), upload.Value.ETag, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        await output.WriteLineAsync($"▶ Dropped {bytes.Length / 1024} KiB of label rows (customer_id, event_timestamp, churned) at {BlobLayout.DatasetsContainer}/{BlobLayout.IncomingBlob(Model, DataFile)}; run id {runId}").ConfigureAwait(false);

        var run = await RunFollower.FollowAsync(http, runId, output, TimeSpan.FromMinutes(10), ct).ConfigureAwait(false);
        if (run?.Result is not { Version: { } version } result)
        {
            await output.WriteLineAsync($"✗ Run {runId} ended as {run?.Status ?? "unknown"}: {run?.Error ?? run?.Progress?.Error ?? run?.Result?.Ingest.Reason}").ConfigureAwait(false);
            return 1;
        }

        var card = await services.GetRequiredService<ModelRegistry>().GetCardAsync(Model, version, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"▶ Run {result.Outcome}: {Model} v{version}, holdout auc {result.Metrics?.GetValueOrDefault("auc"):F4}; trained on {string.Join(", ", card!.FeatureViews!.Select(v => $"{v.View} v{v.Version}"))}").ConfigureAwait(false);

        // The timer would do this within FeatureStore:MaterializeInterval; the demo runs it once now.
        var client = services.GetRequiredService<DurableTaskClient>();
        IReadOnlyList<string> views = [.. catalog.All.Select(v => v.View.Name)];
        var instance = await client.ScheduleNewOrchestrationInstanceAsync(FeatureMaterialization.Name, views, new StartOrchestrationOptions($"{Model}-demo-materialize-{Guid.NewGuid():N}"), ct).ConfigureAwait(false);
        var materialized = await client.WaitForInstanceCompletionAsync(instance, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (materialized.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            await output.WriteLineAsync($"✗ Materialization {instance} ended as {materialized.RuntimeStatus}: {materialized.FailureDetails?.ErrorMessage}").ConfigureAwait(false);
            return 1;
        }

        foreach (var m in materialized.ReadOutputAs<MaterializationResult[]>() ?? [])
        {
            await output.WriteLineAsync($"▶ Materialized {m.View} v{m.Version}: {m.RowsInWindow:N0} source rows in ({m.PreviousWatermark?.ToString("u") ?? "start"}, {m.Watermark:u}], {m.EntitiesWritten:N0} entities written to table {OnlineFeatureStore.TableName}").ConfigureAwait(false);
        }

        var body = $$"""{"rows":[{"customer_id":"{{Customer}}"}]}""";
        var predict = await http.PostAsync($"/api/models/{Model}/predict", new StringContent(body, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
        await output.WriteLineAsync($"▶ Scoring by entity key only: POST /api/models/{Model}/predict {body}").ConfigureAwait(false);
        await output.WriteLineAsync($"  → {(int)predict.StatusCode} {JsonSerializer.Serialize(JsonDocument.Parse(await predict.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).RootElement, PlatformJson.Options)}").ConfigureAwait(false);
        var c = sample.Customers.Single(x => x.Id == Customer);
        await output.WriteLineAsync($"  (the host fetched {Customer}'s features online: tenure_months {c.TenureMonths}, plan {c.Plan}, auto_pay {c.AutoPay.ToString().ToLowerInvariant()}, calls_7d {c.Calls7d}, data_gb_30d {c.DataGb30d})").ConfigureAwait(false);
        return predict.IsSuccessStatusCode ? 0 : 1;
    }
}
