using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Logging;

namespace Serverless.Bench;

/// <summary>
/// The host's resident set under sustained single-row predict load with every prediction logged
/// (<c>sampleRate</c> 1): before, the highest seen during <see cref="Rounds"/> rounds at 64 connections, and after
/// the writer has had <see cref="Settle"/> to flush. The process is the whole bench (host, its Azurite clients, the
/// churn data, ML.NET loaded by the training run that made the champion); with wrk the load comes from outside it.
/// </summary>
internal static class MemoryUnderLoadBench
{
    private const string Area = "scoring";
    private const int Rounds = 3;
    private const int Connections = 64;
    private const double GoalMb = 512;

    // 20 s rounds: long enough for the log writer to reach its steady state several times over (it flushes every
    // second), short enough for a 2-core machine shared with other work.
    private static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, string model, byte[] body)
    {
        var log = platform.Services.GetRequiredService<PredictionLog>();
        var path = $"/api/models/{model}/predict";
        var wrk = WrkDriver.Find();
        var key = platform.Http.DefaultRequestHeaders.GetValues(App.Http.Auth.ApiKeyFilter.Header).First();
        var driver = wrk is null ? "HttpClient" : "wrk";
        Console.WriteLine($"Scoring: memory under load ({Rounds} × {RoundTime.TotalSeconds:F0} s, {driver})...");

        var before = Environment.WorkingSet;
        var droppedBefore = log.Dropped;
        var peak = before;
        var peakBuffered = 0L;
        long requests = 0;
        var rounds = new List<string>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakBuffered = Math.Max(peakBuffered, log.BufferedBytes);
                await Task.Delay(10);
            }
        });

        for (var round = 0; round < Rounds; round++)
        {
            var r = wrk is null
                ? await ClientDriver.RunAsync(platform.Http, path, body, Connections, RoundTime)
                : await WrkDriver.RunAsync(wrk, new Uri(platform.Http.BaseAddress!, path), body, new Dictionary<string, string> { [App.Http.Auth.ApiKeyFilter.Header] = key }, Connections, RoundTime);
            peak = Math.Max(peak, r.MaxRss);
            requests += r.Requests;
            rounds.Add($"{Measurement.Format(r.MaxRss / 1e6)} MB at {Measurement.Format(r.RequestsPerSecond)} req/s, p99 {Measurement.Format(r.P99)} ms");
        }

        await Task.Delay(Settle);
        await stop.CancelAsync();
        await watcher;
        var after = Environment.WorkingSet;
        var dropped = log.Dropped - droppedBefore;

        return
        [
            new Measurement(Area, "memory under load: RSS before", before / 1e6, " MB", Note: $"sampleRate 1; after the rows above; {HttpLimitBench.GcMode()}"),
            Measurement.AtMost(Area, $"memory under load: RSS max during {Rounds} × {RoundTime.TotalSeconds:F0} s at {Connections} connections", peak / 1e6, " MB", GoalMb, $"{driver}; per round: {string.Join("; ", rounds)}"),
            new Measurement(Area, $"memory under load: RSS {Settle.TotalSeconds:F0} s after", after / 1e6, " MB"),
            new Measurement(Area, "memory under load: prediction log rows dropped", dropped, " rows",
                Note: $"of {requests:N0} requests; log buffer peak {Measurement.Format(peakBuffered / 1e6)} MB of {Measurement.Format(platform.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value.MaxBufferedBytes / 1e6)} MB"),
        ];
    }
}
