using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.App.Serving;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;

namespace Serverless.Bench;

/// <summary>
/// What a release costs the live path: single-row in-process handler latency with a 90/10 split and with a shadow
/// version, against a champion alone, interleaved in one run. Three models hold the same churn ONNX (so the split's
/// two versions cost the same to run): alone, champion + candidate at 10 %, champion + shadow candidate. Every model
/// logs at the default sample rate; unkeyed requests route by their request id.
/// </summary>
internal static class ReleaseBench
{
    public const string Mode = "release";
    private const string Area = "release";
    private const int WarmUp = 500;
    private const int Block = 100;
    private const int MaxCalls = 20_000;
    private static readonly TimeSpan Time = TimeSpan.FromSeconds(15);

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, ChurnData data)
    {
        var churn = await platform.ChurnChampionAsync(data);
        var registry = platform.Services.GetRequiredService<ModelRegistry>();
        var server = platform.Services.GetRequiredService<ModelServer>();
        var services = platform.Services.GetRequiredService<ScoringApiServices>();
        var shadows = platform.Services.GetRequiredService<ShadowScoring>();
        var champion = (await server.GetChampionAsync(churn, CancellationToken.None))!;
        var onnx = await registry.GetModelAsync(churn, champion.Card.Version, CancellationToken.None);

        var stamp = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var alone = await TwoVersionsAsync(registry, champion.Card, onnx, $"release-alone-{stamp}");
        var split = await TwoVersionsAsync(registry, champion.Card, onnx, $"release-split-{stamp}");
        var shadowed = await TwoVersionsAsync(registry, champion.Card, onnx, $"release-shadow-{stamp}");
        await registry.SetCandidateTrafficAsync(split, 2, 10, shadow: false, "bench 90/10", CancellationToken.None);
        await registry.SetCandidateTrafficAsync(shadowed, 2, 0, shadow: true, "bench shadow", CancellationToken.None);

        var bodies = Enumerable.Range(0, 1000).Select(i => RequestBodies.For(data.Data.Select([i]), champion.Card.Inputs)).ToArray();
        var handlers = new[] { alone, split, shadowed }.Select(m => new InProcessPredict(services, m)).ToArray();
        var answeredBy = new int[3];
        var next = 0;
        Console.WriteLine("Release: single row, champion alone vs 90/10 split vs shadow...");
        var droppedBefore = shadows.Dropped;
        var scoredBefore = shadows.Scored;
        var samples = await Sampler.InterleavedAsync(
            [.. handlers.Select((h, i) => (Func<Task>)(async () => answeredBy[i] += (await h.CallAsync(bodies[next++ % bodies.Length])).Version == 2 ? 1 : 0))],
            WarmUp, Block, MaxCalls, Time);
        var (single, tenPercent, shadow) = (samples[0], samples[1], samples[2]);
        double P(double[] s, double p) => Sampler.Percentile(s, p);

        var candidateShare = answeredBy[1] / (double)(tenPercent.Length + WarmUp);
        return
        [
            new(Area, "single row p50, champion alone (in-process handler)", P(single, 0.5), " ms", Note: $"n={single.Length}"),
            new(Area, "single row p99, champion alone", P(single, 0.99), " ms"),
            Measurement.AtMost(Area, "single row p50, 90/10 split ÷ champion alone", P(tenPercent, 0.5) / P(single, 0.5), "×", 1.1, $"candidate answered {candidateShare:P1} of calls"),
            new(Area, "single row p99, 90/10 split ÷ champion alone", P(tenPercent, 0.99) / P(single, 0.99), "×"),
            Measurement.AtMost(Area, "single row p50, with a shadow ÷ champion alone", P(shadow, 0.5) / P(single, 0.5), "×", 1.1, $"shadow scored {shadows.Scored - scoredBefore:N0} copies, dropped {shadows.Dropped - droppedBefore:N0} (queue full)"),
            new(Area, "single row p99, with a shadow ÷ champion alone", P(shadow, 0.99) / P(single, 0.99), "×", Note: "the shadow's scoring shares the cores"),
        ];
    }

    private static async Task<string> TwoVersionsAsync(ModelRegistry registry, ModelCard card, byte[] onnx, string model)
    {
        foreach (var run in new[] { "bench-1", "bench-2" })
        {
            await registry.RegisterAsync(card with { Model = model, RunId = run }, onnx, CancellationToken.None);
        }

        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "bench", CancellationToken.None);
        return model;
    }
}
