using Serverless.Core.Explanations;

namespace Serverless.Core.Tests.Explanations;

/// <summary>TreeSHAP against the definition: Shapley values of v(S) = E[f(x) | x_S] by enumerating every subset.</summary>
public sealed class TreeShapTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData(1, 3, 4)]
    [InlineData(2, 4, 5)]
    [InlineData(3, 6, 6)]
    [InlineData(4, 6, 8)]
    [InlineData(5, 2, 7)]
    public void Matches_brute_force_Shapley_values_and_adds_up(int seed, int features, int depth)
    {
        var rng = new Random(seed);
        var trees = Enumerable.Range(0, 5).Select(_ => RandomTree(rng, features, depth)).ToList();
        for (var row = 0; row < 20; row++)
        {
            var x = Enumerable.Range(0, features).Select(_ => rng.NextDouble() < 0.1 ? float.NaN : (float)rng.NextDouble()).ToArray();
            var phi = new double[features];
            foreach (var t in trees) TreeShap.Accumulate(t, x, phi);

            var expected = BruteForce(trees, x, features);
            for (var f = 0; f < features; f++)
            {
                Assert.True(Math.Abs(phi[f] - expected[f]) <= Tolerance, $"row {row} feature {f}: TreeSHAP {phi[f]:R}, brute force {expected[f]:R}");
            }

            var margin = trees.Sum(t => t.Value[t.Leaf(x)]);
            Assert.Equal(margin, trees.Sum(t => t.ExpectedValue()) + phi.Sum(), Tolerance);
        }
    }

    [Fact]
    public void A_feature_no_tree_splits_on_gets_zero_and_a_stump_gets_its_whole_deviation()
    {
        // One split on feature 1 (x1 ≤ 0.5 → 10, else 2), covers 3 : 1: E = 8; a row going right gets 2 − 8 = −6.
        var tree = new ExplainableTree([1, -1, -1], [0.5f, 0, 0], [BranchMode.LessOrEqual, 0, 0], [1, -1, -1], [2, -1, -1], [false, false, false], [0, 10, 2], [4, 3, 1]);
        var phi = new double[3];
        TreeShap.Accumulate(tree, [0.9f, 0.7f, 0.1f], phi);

        Assert.Equal([0.0, -6.0, 0.0], phi);
        Assert.Equal(8.0, tree.ExpectedValue());
    }

    [Fact]
    public void Zero_cover_nodes_contribute_nothing_and_keep_additivity()
    {
        // The right subtree was never reached by a training row: its cover is zero.
        var tree = new ExplainableTree(
            [0, -1, 1, -1, -1], [0.5f, 0, 0.5f, 0, 0], new BranchMode[5], [1, -1, 3, -1, -1], [2, -1, 4, -1, -1], new bool[5],
            [0, 1, 0, 5, 7], [10, 10, 0, 0, 0]);
        var phi = new double[2];
        TreeShap.Accumulate(tree, [0.9f, 0.1f], phi);

        Assert.All(phi, p => Assert.False(double.IsNaN(p)));
        Assert.Equal(5.0, tree.ExpectedValue() + phi.Sum(), Tolerance);
    }

    /// <summary>Exact Shapley values by enumeration over every subset S of the other features.</summary>
    internal static double[] BruteForce(IReadOnlyList<ExplainableTree> trees, float[] x, int features)
    {
        double V(int mask) => trees.Sum(t => Conditional(t, x, mask, 0));
        var phi = new double[features];
        var factorial = new double[features + 1];
        factorial[0] = 1;
        for (var i = 1; i <= features; i++) factorial[i] = factorial[i - 1] * i;
        for (var f = 0; f < features; f++)
        {
            for (var mask = 0; mask < 1 << features; mask++)
            {
                if ((mask & (1 << f)) != 0) continue;
                var size = System.Numerics.BitOperations.PopCount((uint)mask);
                var weight = factorial[size] * factorial[features - size - 1] / factorial[features];
                phi[f] += weight * (V(mask | (1 << f)) - V(mask));
            }
        }

        return phi;
    }

    /// <summary>E[tree(x) | x_S]: follow x on features in S, else average the children by cover.</summary>
    private static double Conditional(ExplainableTree t, float[] x, int mask, int node)
    {
        if (t.IsLeaf(node)) return t.Value[node];
        if ((mask & (1 << t.Feature[node])) != 0) return Conditional(t, x, mask, t.Next(node, x));
        var (l, r) = (t.TrueChild[node], t.FalseChild[node]);
        return ((t.Cover[l] * Conditional(t, x, mask, l)) + (t.Cover[r] * Conditional(t, x, mask, r))) / t.Cover[node];
    }

    /// <summary>A random tree whose covers add up (a branch's cover is its children's sum), with features repeating along paths.</summary>
    internal static ExplainableTree RandomTree(Random rng, int features, int maxDepth)
    {
        var feature = new List<int>();
        var threshold = new List<float>();
        var mode = new List<BranchMode>();
        var left = new List<int>();
        var right = new List<int>();
        var missing = new List<bool>();
        var value = new List<double>();
        var cover = new List<double>();
        int Build(int depth, double c)
        {
            var id = feature.Count;
            feature.Add(-1); threshold.Add(0); mode.Add(BranchMode.LessOrEqual); left.Add(-1); right.Add(-1); missing.Add(false); value.Add(0); cover.Add(c);
            if (depth == maxDepth || (depth > 1 && rng.NextDouble() < 0.2))
            {
                value[id] = Math.Round((rng.NextDouble() * 4) - 2, 3);
                return id;
            }

            feature[id] = rng.Next(features);
            threshold[id] = (float)rng.NextDouble();
            mode[id] = (BranchMode)rng.Next(4);
            missing[id] = rng.Next(2) == 0;
            var share = 0.1 + (0.8 * rng.NextDouble());
            var l = Build(depth + 1, c * share);
            var r = Build(depth + 1, c * (1 - share));
            (left[id], right[id]) = (l, r);
            return id;
        }

        Build(0, 1000);
        return new ExplainableTree([.. feature], [.. threshold], [.. mode], [.. left], [.. right], [.. missing], [.. value], [.. cover]);
    }
}
