using System.Diagnostics;

namespace Serverless.Bench;

/// <summary>
/// The bench's own driver: N callers in this process, each posting the body and awaiting the answer in a loop
/// through one <see cref="HttpClient"/>, for a fixed time; every request's latency is kept. It shares the cores and the
/// thread pool with the server it measures, which is what wrk, outside the process, avoids.
/// </summary>
internal static class ClientDriver
{
    public static async Task<LoadResult> RunAsync(HttpClient http, string path, byte[] body, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        long errors = 0;
        using var activity = new RuntimeActivity();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            while (sw.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(path, content).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        })));
        var elapsed = sw.Elapsed;
        activity.Dispose();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(Sampler.Percentile(all, 0.5), Sampler.Percentile(all, 0.99), all.Length / elapsed.TotalSeconds, all.Length, errors, activity.Summary, activity.MaxRss);
    }
}
