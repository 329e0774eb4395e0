using System.Net;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Datasets;
using Serverless.Core.Hosting;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>The spec's per-feature <c>log</c> mode reaches the prediction log written by the scorer.</summary>
public sealed class PredictionLogPrivacyTests
{
    [Fact]
    public async Task Hashed_features_are_logged_as_digests_and_omitted_ones_not_at_all()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var storage = new PlatformStorage(new BlobServiceClient(azurite.ConnectionString));
        await storage.EnsureContainersAsync(CancellationToken.None);
        await TinyModel.RegisterAsync(storage, "p");
        // The stored spec, edited after training: takes effect without a new version.
        var spec = TinyModel.Spec with
        {
            Features = [TinyModel.Spec.Features[0] with { Log = FeatureLogMode.Omit }, TinyModel.Spec.Features[1] with { Log = FeatureLogMode.Hash }],
        };
        await BlobJson.UploadAsync(storage.Models.GetBlobClient(BlobLayout.SpecBlob("p")), spec, CancellationToken.None);

        var builder = ScorerApp.CreateBuilder([$"--{PlatformOptions.DefaultStorageConnection}={azurite.ConnectionString}", "--Scorer:ApiKey=k"]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = ScorerApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("x-api-key", "k");
        var response = await client.PostAsync("/api/models/p/predict", new StringContent("""{"rows":[{"x":0.25,"color":"green"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var reader = new PredictionLogReader(storage);
        var batches = await Eventually.UntilAsync(async () =>
        {
            var read = await reader.ReadAsync("p", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, CancellationToken.None);
            return read.Count > 0 ? read : null;
        }, TimeSpan.FromSeconds(20), "the prediction log file");

        var table = Assert.Single(batches).Table;
        Assert.DoesNotContain(table.Columns, c => c.Name == "x");
        Assert.Equal(new string?[] { FeatureLogPrivacy.Hash("green") }, table["color"].TextValues.ToArray());
        await app.StopAsync();
    }
}
