using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Hosting;
using Serverless.Core.Registry;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>
/// Readiness (storage answers, champions load) apart from liveness, and model integrity (the card's SHA-256 of
/// model.onnx checked before serving). Each test has its own Azurite: a tampered model must not reach the shared one.
/// </summary>
public sealed class ScorerReadinessTests
{
    private const string Key = "readiness-key";

    [Fact]
    public async Task Readiness_needs_storage_and_loadable_champions_while_liveness_stays_up()
    {
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        var storage = new PlatformStorage(new BlobServiceClient(azurite.ConnectionString));
        await storage.EnsureContainersAsync(CancellationToken.None);
        await TinyModel.RegisterAsync(storage, "good");

        await using var scorer = await StartScorerAsync(azurite.ConnectionString);
        using var client = Client(scorer);
        var ready = await client.GetAsync(ScorerReadiness.Path);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await ready.Content.ReadFromJsonAsync<JsonObject>())!["ready"]!.GetValue<bool>());

        // A champion whose model.onnx no longer matches its card does not load: not ready, but alive.
        await TinyModel.RegisterAsync(storage, "bad");
        await TamperAsync(storage, "bad", 1);
        var unready = await client.GetAsync(ScorerReadiness.Path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Equal("1 of 2 champion(s) do not load", (await unready.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);

        // Storage gone after champions loaded: the loaded champion keeps serving, so the replica stays ready.
        await azurite.StopAsync();
        var degraded = await client.GetAsync(ScorerReadiness.Path);
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.StartsWith("storage unreachable", (await degraded.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_storage_a_scorer_that_never_loaded_a_champion_is_not_ready()
    {
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        await using var scorer = await StartScorerAsync(azurite.ConnectionString);
        await azurite.StopAsync();
        using var client = Client(scorer);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(ScorerReadiness.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task A_tampered_model_is_refused_and_alerted_while_the_previous_champion_keeps_serving()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var storage = new PlatformStorage(new BlobServiceClient(azurite.ConnectionString));
        await storage.EnsureContainersAsync(CancellationToken.None);
        await TinyModel.RegisterAsync(storage, "m");
        var registry = new ModelRegistry(storage, TimeProvider.System);

        // Registration records the fingerprint of the bytes stored.
        var card = (await registry.GetCardAsync("m", 2, CancellationToken.None))!;
        Assert.Equal(ModelIntegrity.Sha256(TinyModel.Onnx), card.ModelSha256);

        var alerts = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i, PlatformTelemetry.Alerts)) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray();
            if (t.Any(x => x.Key == "model" && (string?)x.Value == "m"))
            {
                lock (alerts) alerts.Add((string?)t.Single(x => x.Key == "kind").Value);
            }
        });
        listener.Start();

        await using var scorer = await StartScorerAsync(azurite.ConnectionString);
        using var client = Client(scorer);
        Assert.Equal(1, await PredictedVersionAsync(client, "m"));

        await TamperAsync(storage, "m", 2);
        await registry.SetAliasAsync("m", ModelAliases.Champion, 2, "test", CancellationToken.None);

        // Each refresh tries v2, refuses it and alerts; v1 keeps answering meanwhile.
        await Eventually.TrueAsync(async () =>
        {
            Assert.Equal(1, await PredictedVersionAsync(client, "m"));
            lock (alerts) return alerts.Contains("model_integrity");
        }, TimeSpan.FromSeconds(20), "an integrity alert for v2 while v1 serves");

        // With no earlier champion to fall back on, predict answers 503 naming the check, never a served tampered model.
        await TinyModel.RegisterAsync(storage, "fresh");
        await TamperAsync(storage, "fresh", 1);
        var refused = await client.PostAsync("/api/models/fresh/predict", Rows());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("integrity", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cards_registered_before_the_hash_existed_are_not_verified_and_a_mismatch_throws()
    {
        var card = TinyModel.Card("m");
        Assert.False(ModelIntegrity.Verify(card, TinyModel.Onnx));
        Assert.True(ModelIntegrity.Verify(card with { ModelSha256 = ModelIntegrity.Sha256(TinyModel.Onnx) }, TinyModel.Onnx));
        var e = Assert.Throws<ModelIntegrityException>(() => ModelIntegrity.Verify(card with { ModelSha256 = new string('0', 64) }, TinyModel.Onnx));
        Assert.Contains("Refusing to serve m v1", e.Message, StringComparison.Ordinal);
    }

    private static StringContent Rows() => new("""{"rows":[{"x":1,"color":"red"}]}""", Encoding.UTF8, "application/json");

    private static async Task<int> PredictedVersionAsync(HttpClient client, string model)
    {
        var response = await client.PostAsync($"/api/models/{model}/predict", Rows());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>();
    }

    // Same length, one byte changed: what a swapped or corrupted blob looks like to the scorer.
    private static async Task TamperAsync(PlatformStorage storage, string model, int version)
    {
        var bytes = TinyModel.Onnx.ToArray();
        bytes[^1] ^= 0xFF;
        await storage.Registry.GetBlobClient(BlobLayout.RegistryModel(model, version)).UploadAsync(new BinaryData(bytes), overwrite: true);
    }

    private static async Task<WebApplication> StartScorerAsync(string connectionString)
    {
        var builder = ScorerApp.CreateBuilder(
        [
            $"--{PlatformOptions.DefaultStorageConnection}={connectionString}",
            $"--Scorer:ApiKey={Key}",
            "--Scoring:ChampionRefreshInterval=00:00:00.200",
        ]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = ScorerApp.Build(builder);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-api-key", Key);
        return client;
    }
}
