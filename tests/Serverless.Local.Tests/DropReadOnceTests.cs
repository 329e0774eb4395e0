using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.App.Intake;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A drop is read and hashed once: intake downloads it to hash it, ingests those same bytes, and the run's ingest
/// step finds the recorded outcome instead of downloading the file again.
/// </summary>
public sealed class DropReadOnceTests
{
    [Fact]
    public async Task A_drop_is_downloaded_once_on_its_way_to_a_promoted_model()
    {
        // Storage of its own: a second host with a drop watcher on the shared account would race the collection's
        // host for drops (each claimed the other's and started the run in its own task hub).
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var gets = new GetCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(gets, HttpPipelinePosition.PerCall);
        var host = new LocalHostFixture
        {
            ConnectionString = azurite.ConnectionString,
            ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton(new BlobServiceClient(azurite.ConnectionString, options))),
        };
        await host.InitializeAsync();
        try
        {
            var model = Azurite.UniqueModel("once");
            await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
            var bytes = Samples.Csv(800, seed: 41);
            await host.DropAsync(model, "data.csv", bytes);

            var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes))));

            Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);
            Assert.Equal(1, gets.Of($"/{BlobLayout.DatasetsContainer}/{BlobLayout.IncomingBlob(model, "data.csv")}"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Counts GET requests per blob path (downloads; existence checks are HEADs).</summary>
    private sealed class GetCounter : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentDictionary<string, int> _gets = new(StringComparer.Ordinal);

        public int Of(string path) => _gets.TryGetValue(path, out var n) ? n : 0;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get)
            {
                // Azurite's path-style URLs start with the account name: /devstoreaccount1/{container}/{blob}.
                var path = Uri.UnescapeDataString(message.Request.Uri.Path);
                if (path.IndexOf('/', 1) is var container and > 0)
                {
                    _gets.AddOrUpdate(path[container..], 1, (_, n) => n + 1);
                }
            }
        }
    }
}
