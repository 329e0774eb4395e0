using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Hosting;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>
/// In Azure the scorer's identity may read <c>registry</c>/<c>models</c> and write <c>predictions</c>/<c>labeling</c>
/// only (infra/main.bicep), so a create call at start-up is a 403 and a failed host. On an empty account of its own,
/// the scorer starts and leaves the account empty: it made no create call.
/// </summary>
public sealed class ScorerStorageTests
{
    [Fact]
    public async Task The_scorer_starts_without_creating_containers_tables_or_queues()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();

        var builder = ScorerApp.CreateBuilder([$"--{PlatformOptions.DefaultStorageConnection}={azurite.ConnectionString}", "--Scorer:ApiKey=k"]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = ScorerApp.Build(builder);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);

            Assert.Empty(await Names(new BlobServiceClient(azurite.ConnectionString).GetBlobContainersAsync(), c => c.Name));
            Assert.Empty(await Names(new TableServiceClient(azurite.ConnectionString).QueryAsync(), t => t.Name));
            Assert.Empty(await Names(new QueueServiceClient(azurite.ConnectionString).GetQueuesAsync(), q => q.Name));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<List<string>> Names<T>(IAsyncEnumerable<T> items, Func<T, string> name)
    {
        var names = new List<string>();
        await foreach (var item in items) names.Add(name(item));
        return names;
    }
}
