namespace Serverless.Bench;

/// <summary>Seeded draws shared by the sweep area's dataset generators.</summary>
internal static class Synthetic
{
    /// <summary>Box–Muller standard normal.</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>An index in [0, n) with probability ∝ 1/(i+1).</summary>
    public static int Zipf(Random random, int n)
    {
        var h = Math.Log(n) + 0.5772;
        var i = (int)Math.Exp((random.NextDouble() * h) - 0.5772) - 1;
        return Math.Clamp(i, 0, n - 1);
    }

    /// <summary>A class index drawn with probability softmax(<paramref name="scores"/>).</summary>
    public static int Softmax(Random random, ReadOnlySpan<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores) max = Math.Max(max, s);
        var total = 0.0;
        foreach (var s in scores) total += Math.Exp(s - max);
        var u = random.NextDouble() * total;
        for (var k = 0; k < scores.Length; k++)
        {
            u -= Math.Exp(scores[k] - max);
            if (u <= 0) return k;
        }

        return scores.Length - 1;
    }
}
