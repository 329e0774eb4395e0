using System.Runtime;
using Serverless.App.Http.Auth;

namespace Serverless.Bench;

/// <summary>
/// The HTTP limit for single-row predict, measured: a bare Kestrel endpoint in this process (<see cref="BareEndpoint"/>)
/// and predict, driven alike at concurrency 1, 8 and 64, alternating per concurrency so background load hits both.
/// The limit is the bare endpoint's p50 plus raw ONNX Runtime's single-row p50 from the same run. Two drivers: wrk
/// (outside the process; the goals are judged on it when installed) and the bench's own HttpClient (shares the
/// cores and thread pool with the server; it shows how much of a "server" figure is really the client).
/// </summary>
internal static class HttpLimitBench
{
    private const string Area = "scoring";
    private static readonly int[] Concurrencies = [1, 8, 64];
    private const int Rounds = 3;
    private static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, string model, byte[] body, double rawOrtP50Ms)
    {
        var results = new List<Measurement>();
        var predictPath = $"/api/models/{model}/predict";
        using var first = await platform.Http.PostAsync(predictPath, Json(body));
        first.EnsureSuccessStatusCode();
        var response = await first.Content.ReadAsByteArrayAsync();
        await using var bare = await BareEndpoint.StartAsync(response);
        using var bareHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = bare.Address };
        var key = platform.Http.DefaultRequestHeaders.GetValues(ApiKeyFilter.Header).First();
        var predictUrl = new Uri(platform.Http.BaseAddress!, predictPath);
        var bareUrl = new Uri(bare.Address, BareEndpoint.Path);

        var wrk = WrkDriver.Find();
        var drivers = new List<(string Name, Func<bool, int, TimeSpan, Task<LoadResult>> Run)>();
        if (wrk is not null)
        {
            drivers.Add(("wrk", (predict, c, t) => WrkDriver.RunAsync(wrk, predict ? predictUrl : bareUrl, body, predict ? new Dictionary<string, string> { [ApiKeyFilter.Header] = key } : [], c, t)));
        }
        else
        {
            results.Add(Measurement.Skipped(Area, "HTTP limit [wrk]", "wrk not installed (apt-get install wrk)"));
        }

        drivers.Add(("HttpClient", (predict, c, t) => ClientDriver.RunAsync(predict ? platform.Http : bareHttp, predict ? predictPath : BareEndpoint.Path, body, c, t)));

        foreach (var (name, run) in drivers)
        {
            Console.WriteLine($"Scoring: HTTP limit, {name}...");
            var judged = name == drivers[0].Name;
            await run(false, 8, WarmUpTime);
            await run(true, 8, WarmUpTime);
            var bareRuns = new Dictionary<int, LoadResult>();
            var predictRuns = new Dictionary<int, LoadResult>();
            foreach (var c in Concurrencies)
            {
                // Short alternating rounds, medians: on a shared machine a burst of someone else's load then lands on
                // one round of each endpoint instead of on one endpoint's whole run.
                var bareRounds = new List<LoadResult>();
                var predictRounds = new List<LoadResult>();
                for (var round = 0; round < Rounds; round++)
                {
                    bareRounds.Add(await run(false, c, RoundTime));
                    predictRounds.Add(await run(true, c, RoundTime));
                }

                bareRuns[c] = Median(bareRounds);
                predictRuns[c] = Median(predictRounds);
            }

            foreach (var c in Concurrencies)
            {
                results.Add(Row(name, "bare endpoint", c, bareRuns[c]));
                results.Add(Row(name, "predict", c, predictRuns[c]));
            }

            var limit = bareRuns[1].P50 + rawOrtP50Ms;
            var prefix = $"HTTP limit [{name}]: ";
            var why = judged ? null : "context: the goals are judged on the first driver";
            results.Add(new Measurement(Area, prefix + "limit = bare p50 + raw ORT p50, concurrency 1", limit, " ms", Note: $"{Measurement.Format(bareRuns[1].P50)} + {Measurement.Format(rawOrtP50Ms)} ms; {GcMode()}"));
            results.Add(Goal(judged, prefix + "predict p50 ÷ limit, concurrency 1", predictRuns[1].P50 / limit, 1.5, atMost: true, why));
            foreach (var c in Concurrencies)
            {
                results.Add(Goal(judged, prefix + $"predict p99 ÷ bare p99, concurrency {c}", predictRuns[c].P99 / bareRuns[c].P99, 3, atMost: true, why));
            }

            results.Add(Goal(judged, prefix + "predict req/s ÷ bare req/s, concurrency 64", predictRuns[64].RequestsPerSecond / bareRuns[64].RequestsPerSecond, 0.5, atMost: false, why));
        }

        return results;
    }

    /// <summary>Per figure, the median of the rounds; the runtime note of the round with the worst p99 (where a tail shows).</summary>
    private static LoadResult Median(List<LoadResult> rounds) => new(
        Sampler.Median(rounds.Select(r => r.P50)),
        Sampler.Median(rounds.Select(r => r.P99)),
        Sampler.Median(rounds.Select(r => r.RequestsPerSecond)),
        rounds.Sum(r => r.Requests),
        rounds.Sum(r => r.Errors),
        $"median of {rounds.Count} rounds; worst-p99 round ({Measurement.Format(rounds.Max(r => r.P99))} ms): " + rounds.MaxBy(r => r.P99)!.Runtime,
        rounds.Max(r => r.MaxRss));

    private static Measurement Row(string driver, string endpoint, int c, LoadResult r) =>
        new(Area, $"HTTP limit [{driver}]: {endpoint}, concurrency {c}: p50", r.P50, " ms",
            Note: $"p99 {Measurement.Format(r.P99)} ms, {Measurement.Format(r.RequestsPerSecond)} req/s, n={r.Requests}" + (r.Errors > 0 ? $", {r.Errors} errors" : "") + "; " + r.Runtime);

    private static Measurement Goal(bool judged, string metric, double value, double limit, bool atMost, string? note) =>
        !judged ? new Measurement(Area, metric, value, "×", Note: note)
        : atMost ? Measurement.AtMost(Area, metric, value, "×", limit)
        : Measurement.AtLeast(Area, metric, value, "×", limit);

    /// <summary>The GC this process runs with (DOTNET_gcServer and DOTNET_GCgen0size override the project's setting).</summary>
    internal static string GcMode() =>
        $"{(GCSettings.IsServerGC ? "Server" : "Workstation")} GC, {GCSettings.LatencyMode}" +
        (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { } gen0 ? $", DOTNET_GCgen0size={gen0}" : "");

    internal static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }
}
