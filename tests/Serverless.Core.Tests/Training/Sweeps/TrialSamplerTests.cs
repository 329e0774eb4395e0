using Serverless.Core.Specs;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Tests.Training.Sweeps;

public sealed class TrialSamplerTests
{
    private static readonly SearchSpec Search = new()
    {
        Space = new Dictionary<string, SearchDimension>
        {
            ["learningRate"] = new(SearchDistribution.LogUniform, Min: 0.001, Max: 0.1),
            ["numberOfLeaves"] = new(SearchDistribution.Int, Min: 4, Max: 7),
            ["minimumExampleCountPerLeaf"] = new(SearchDistribution.Choice, [5, 20, 50]),
            ["l2"] = new(SearchDistribution.Uniform, Min: -2, Max: 3),
        },
        Seed = 11,
    };

    private static List<IReadOnlyDictionary<string, double>> Draws(SearchSpec s, int n) => [.. Enumerable.Range(0, n).Select(i => TrialSampler.Sample(s, i))];

    [Fact]
    public void A_trial_depends_only_on_the_seed_and_its_number()
    {
        Assert.Equal(TrialSampler.Sample(Search, 37), TrialSampler.Sample(Search with { Trials = 200, Concurrency = 1 }, 37));
        Assert.Equal(Draws(Search, 20), Draws(Search, 20));
        Assert.NotEqual(TrialSampler.Sample(Search, 3), TrialSampler.Sample(Search, 4));
        Assert.NotEqual(TrialSampler.Sample(Search, 3), TrialSampler.Sample(Search with { Seed = 12 }, 3));

        // Adding a dimension leaves the others' draws alone.
        var wider = Search with { Space = new Dictionary<string, SearchDimension>(Search.Space) { ["numberOfTrees"] = new(SearchDistribution.Int, Min: 10, Max: 500) } };
        var before = TrialSampler.Sample(Search, 5);
        var after = TrialSampler.Sample(wider, 5);
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }

    [Fact]
    public void Draws_stay_in_range_and_cover_it()
    {
        var draws = Draws(Search, 2000);

        var rates = draws.Select(d => d["learningRate"]).ToList();
        Assert.All(rates, r => Assert.InRange(r, 0.001, 0.1));

        // Log-uniform: half the draws fall below the geometric mean (0.01); 2000 draws put the share within ±0.05
        // (about 4.5 standard deviations).
        Assert.InRange(rates.Count(r => r < 0.01) / 2000.0, 0.45, 0.55);

        var leaves = draws.Select(d => d["numberOfLeaves"]).ToList();
        Assert.All(leaves, l => Assert.True(double.IsInteger(l)));
        Assert.Equal([4.0, 5, 6, 7], leaves.Distinct().Order());
        Assert.All(leaves.GroupBy(l => l), g => Assert.InRange(g.Count(), 400, 600));

        Assert.Equal([5.0, 20, 50], draws.Select(d => d["minimumExampleCountPerLeaf"]).Distinct().Order());

        var l2 = draws.Select(d => d["l2"]).ToList();
        Assert.All(l2, v => Assert.InRange(v, -2, 3));
        Assert.InRange(l2.Average(), 0.5 - 0.15, 0.5 + 0.15);
    }

    [Theory]
    [InlineData(0.0, 0.001)]
    [InlineData(0.9999999999, 0.1)]
    public void Quantiles_map_onto_the_range_ends(double u, double expected)
    {
        Assert.Equal(expected, TrialSampler.Draw("learningRate", Search.Space["learningRate"], u), 1e-9);
    }

    [Fact]
    public void Integer_hyperparameters_are_rounded_whatever_the_distribution()
    {
        var d = new SearchDimension(SearchDistribution.LogUniform, Min: 1, Max: 1000);
        Assert.All(Enumerable.Range(0, 100).Select(i => TrialSampler.Draw("minimumExampleCountPerLeaf", d, i / 100.0)), v => Assert.True(double.IsInteger(v)));
        Assert.Equal(1000, TrialSampler.Draw("minimumExampleCountPerLeaf", d, 0.9999999));
    }
}
