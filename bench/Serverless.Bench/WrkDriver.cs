using System.Diagnostics;
using System.Globalization;

namespace Serverless.Bench;

/// <summary>
/// <c>wrk</c> (Debian package <c>wrk</c>: a C load generator on its own threads, outside this process) posting one
/// fixed body over N keep-alive connections, through a Lua script; its latency histogram gives p50/p99. Null
/// <see cref="Find"/> when it is not installed: the rows then say "skipped".
/// </summary>
internal static class WrkDriver
{
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "wrk")).FirstOrDefault(File.Exists);

    public static async Task<LoadResult> RunAsync(string wrk, Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, int connections, TimeSpan duration)
    {
        var dir = Directory.CreateTempSubdirectory("wrk-");
        try
        {
            var bodyPath = System.IO.Path.Combine(dir.FullName, "body.json");
            await File.WriteAllBytesAsync(bodyPath, body);
            var script = System.IO.Path.Combine(dir.FullName, "post.lua");
            await File.WriteAllTextAsync(script, $$"""
                wrk.method = "POST"
                local f = io.open("{{bodyPath}}", "rb")
                wrk.body = f:read("*a")
                f:close()
                wrk.headers["Content-Type"] = "application/json"
                {{string.Concat(headers.Select(h => $"wrk.headers[\"{h.Key}\"] = \"{h.Value}\"\n"))}}
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("WRK-RESULT %d %d %f %f %d\n", summary.requests, summary.duration,
                    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
                end
                """);
            var threads = Math.Min(connections, 2);
            var psi = new ProcessStartInfo(wrk, ["-t", $"{threads}", "-c", $"{connections}", "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "-s", script, url.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var activity = new RuntimeActivity();
            using var process = Process.Start(psi)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            activity.Dispose();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK-RESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {output} {await process.StandardError.ReadToEndAsync()}");
            var f = line.Split(' ');
            var requests = long.Parse(f[1], CultureInfo.InvariantCulture);
            var micros = double.Parse(f[2], CultureInfo.InvariantCulture);
            return new LoadResult(
                double.Parse(f[3], CultureInfo.InvariantCulture) / 1000,
                double.Parse(f[4], CultureInfo.InvariantCulture) / 1000,
                requests / (micros / 1e6),
                requests,
                long.Parse(f[5], CultureInfo.InvariantCulture),
                activity.Summary,
                activity.MaxRss);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
