using System.Text;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// Trial i's hyperparameters: each dimension draws from its own SplitMix64 stream seeded by (search seed, i, the
/// dimension's name), so a setting depends only on the seed and i, and adding a dimension leaves the others' draws alone.
/// SplitMix64 is written out here (not <see cref="Random"/>) so the sequence is fixed by this file, not by the runtime.
/// </summary>
public static class TrialSampler
{
    public static IReadOnlyDictionary<string, double> Sample(SearchSpec search, int trial)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfNegative(trial);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, dimension) in search.Space)
        {
            var u = Uniform(Mix(Mix(Mix((ulong)search.Seed) ^ (ulong)trial) ^ NameHash(name)));
            result[name] = Draw(name, dimension, u);
        }

        return result;
    }

    /// <summary>The value at quantile <paramref name="u"/> ∈ [0, 1) of the dimension; integer hyperparameters rounded.</summary>
    internal static double Draw(string name, SearchDimension d, double u)
    {
        var value = d.Type switch
        {
            SearchDistribution.Choice => d.Values![(int)Math.Min(d.Values.Count - 1, Math.Floor(u * d.Values.Count))],
            SearchDistribution.Uniform => d.Min!.Value + (u * (d.Max!.Value - d.Min.Value)),
            SearchDistribution.LogUniform => Math.Exp(Math.Log(d.Min!.Value) + (u * (Math.Log(d.Max!.Value) - Math.Log(d.Min.Value)))),
            SearchDistribution.Int => d.Min!.Value + Math.Min(d.Max!.Value - d.Min.Value, Math.Floor(u * (d.Max.Value - d.Min.Value + 1))),
            _ => throw new ArgumentOutOfRangeException(nameof(d), d.Type, "Unknown distribution."),
        };
        if (d.Type != SearchDistribution.Choice)
        {
            // exp/log can land a hair outside the range.
            value = Math.Clamp(value, d.Min!.Value, d.Max!.Value);
        }

        return SearchSpecValidator.IntegerHyperparameters.Contains(name) ? Math.Round(value, MidpointRounding.AwayFromZero) : value;
    }

    // SplitMix64's finalizer (Steele, Lea & Flood 2014).
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // 53 random bits → [0, 1).
    private static double Uniform(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    // FNV-1a over the UTF-8 name: stable across processes, unlike string.GetHashCode.
    private static ulong NameHash(string name)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return h;
    }
}
