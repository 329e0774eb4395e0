using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Features;
using Serverless.Core;
using Serverless.Core.FeatureStore;

namespace Serverless.Local.Tests;

/// <summary>The feature store's routes on the real local host over Azurite, with the repository's definitions.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class FeaturesApiTests(LocalHostFixture host)
{
    [Fact]
    public async Task The_catalog_searches_and_describes_the_repository_views()
    {
        var all = await host.Http.GetFromJsonAsync<List<FeatureViewSummary>>("/api/features", PlatformJson.Options);
        Assert.Equal(["customer_profile", "customer_usage"], all!.Select(v => v.Name));
        var usage = await host.Http.GetFromJsonAsync<List<FeatureViewSummary>>("/api/features?tag=rolling&entity=customer_id&owner=usage-analytics", PlatformJson.Options);
        Assert.Equal(["customer_usage"], usage!.Select(v => v.Name));
        Assert.Empty((await host.Http.GetFromJsonAsync<List<FeatureViewSummary>>("/api/features?name=profile&tag=rolling", PlatformJson.Options))!);

        var details = await host.Http.GetFromJsonAsync<FeatureViewDetails>("/api/features/customer_profile", PlatformJson.Options);
        Assert.Equal("crm-team", details!.Definition.Owner);
        Assert.Equal(details.DefinitionHash[..12], details.Version);
        Assert.Equal(["tenure_months", "plan", "auto_pay"], details.Definition.Features.Select(f => f.Name));

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/features/no_such_view")).StatusCode);
        var bad = await host.Http.GetAsync("/api/features/Customer-Profile");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("lowercase letters", (await bad.Content.ReadFromJsonAsync<ProblemBody>())!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_writes_valid_rows_to_the_online_store_and_refuses_bad_ones_field_by_field()
    {
        var customer = "c-" + Guid.NewGuid().ToString("N");
        var ok = await host.Http.PostAsJsonAsync("/api/features/customer_usage/push", new
        {
            rows = new object[]
            {
                new Dictionary<string, object?> { ["customer_id"] = customer, ["window_end"] = "2026-12-07T10:00:00Z", ["calls_7d"] = 3, ["data_gb_30d"] = 1.5 },
                new Dictionary<string, object?> { ["customer_id"] = customer, ["window_end"] = "2026-12-07T09:00:00Z", ["calls_7d"] = 9, ["data_gb_30d"] = null },
            },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var result = await ok.Content.ReadFromJsonAsync<FeaturePushResult>(PlatformJson.Options);
        Assert.Equal((2, 1), (result!.Rows, result.Written));

        var view = host.Services.GetRequiredService<FeatureViewCatalog>().Find("customer_usage")!;
        var stored = await host.Services.GetRequiredService<OnlineFeatureStore>().ReadAsync(view, [customer], CancellationToken.None);
        Assert.Equal(new object?[] { 3.0, 1.5 }, stored[customer].Values);

        var bad = await host.Http.PostAsJsonAsync("/api/features/customer_usage/push", new
        {
            rows = new object[]
            {
                new Dictionary<string, object?> { ["customer_id"] = customer, ["window_end"] = "yesterday", ["calls_7d"] = "3", ["colour"] = "red" },
                new Dictionary<string, object?> { ["window_end"] = "2026-12-07T11:00:00Z" },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options);
        Assert.Equal(["0 calls_7d", "0 colour", "0 window_end", "1 customer_id"], problem!.Errors!.Select(e => $"{e.Row} {e.Field}").Order(StringComparer.Ordinal));
        Assert.Equal(new object?[] { 3.0, 1.5 }, (await host.Services.GetRequiredService<OnlineFeatureStore>().ReadAsync(view, [customer], CancellationToken.None))[customer].Values);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsJsonAsync("/api/features/no_such_view/push", new { rows = new[] { new { a = 1 } } })).StatusCode);
        var notJson = await host.Http.PostAsync("/api/features/customer_usage/push", new StringContent("{ rows", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }
}

/// <summary>The materialization orchestration on the local host's durable worker, over Azurite.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class FeatureMaterializationTests(LocalHostFixture host)
{
    [Fact]
    public async Task The_orchestration_materializes_every_view_and_the_catalog_shows_the_watermark()
    {
        var storage = host.Services.GetRequiredService<Serverless.Core.Storage.PlatformStorage>();
        var customer = "m-" + Guid.NewGuid().ToString("N");
        var rows = new Serverless.Core.Datasets.TabularDataset(
        [
            Serverless.Core.Datasets.DataColumn.Text("customer_id", [customer, customer]),
            Serverless.Core.Datasets.DataColumn.Text("window_end", ["2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"]),
            Serverless.Core.Datasets.DataColumn.Float("calls_7d", [1, 2]),
            Serverless.Core.Datasets.DataColumn.Float("data_gb_30d", [10, float.NaN]),
        ]);
        var sha = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        await Serverless.Core.Datasets.DatasetVersions.WriteAsync(
            storage, new("customer-usage", sha, 2, [], "usage.csv", DateTimeOffset.UtcNow, 0, "x"), await Serverless.Core.Datasets.DatasetVersions.ToParquetAsync(rows, CancellationToken.None), CancellationToken.None);

        var client = host.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        IReadOnlyList<string> views = ["customer_profile", "customer_usage"];
        var id = await client.ScheduleNewOrchestrationInstanceAsync(Serverless.Durable.Pipeline.Features.FeatureMaterialization.Name, views);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var results = done.ReadOutputAs<List<MaterializationResult>>()!;
        Assert.Equal(views, results.Select(r => r.View));

        var view = host.Services.GetRequiredService<FeatureViewCatalog>().Find("customer_usage")!;
        var stored = (await host.Services.GetRequiredService<OnlineFeatureStore>().ReadAsync(view, [customer], CancellationToken.None))[customer];
        Assert.Equal(new object?[] { 2.0, null }, stored.Values);
        var details = await host.Http.GetFromJsonAsync<FeatureViewDetails>("/api/features/customer_usage", PlatformJson.Options);
        Assert.NotNull(details!.Freshness.MaterializedThrough);
    }
}
