using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.Tests.Monitoring.Logging;

/// <summary>The final flush at shutdown gives up when the shutdown token fires and counts what it could not write.</summary>
public sealed class PredictionLogShutdownTests
{
    [Fact(Timeout = 120_000)] // without the token honoured, the SDK's 100 s network timeout and retries would hold the drain far longer
    public async Task Draining_into_storage_that_never_answers_stops_at_the_token_and_counts_the_rows_as_dropped()
    {
        // Storage that accepts connections and never answers: the worst case, unlike a refused connection that fails fast.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new System.Collections.Concurrent.ConcurrentBag<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try { accepted.Add(await silent.AcceptSocketAsync()); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var connection = $"DefaultEndpointsProtocol=http;AccountName=silent;AccountKey={Convert.ToBase64String(new byte[32])};BlobEndpoint=http://127.0.0.1:{port}/silent;TableEndpoint=http://127.0.0.1:{port}/silent;";
        var log = new PredictionLog(
            new PlatformStorage(new BlobServiceClient(connection)),
            new LabelingQueue(new TableServiceClient(connection)),
            TimeProvider.System,
            Options.Create(new PredictionLogOptions()),
            NullLogger<PredictionLog>.Instance);

        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            var inputs = new TabularDataset([DataColumn.Float("x", [i, i + 1])]);
            Assert.True(log.Offer(new PredictionLogEntry("m", 1, ModelTask.Regression, $"req-{i}", at, inputs,
                [new Prediction(PredictionIds.New(at), null, i, null), new Prediction(PredictionIds.New(at), null, i + 1, null)], 0)));
        }

        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var lost = await log.DrainAsync(shutdown.Token);

        Assert.Equal(6, lost);
        Assert.Equal(6, log.Dropped);
        foreach (var s in accepted) s.Dispose();
    }
}
