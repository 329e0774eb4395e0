namespace Serverless.Local.Demo;

/// <summary>The draws the sample generators share; seeded by the caller, so a sample is the same on every machine.</summary>
internal static class SampleRandom
{
    /// <summary>One of <paramref name="values"/> with the given probabilities (they sum to 1; the last takes the rounding).</summary>
    public static string Pick(Random rng, string[] values, double[] weights)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < values.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return values[i];
        }

        return values[^1];
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
