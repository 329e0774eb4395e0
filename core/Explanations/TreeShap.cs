namespace Serverless.Core.Explanations;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent individualized feature attribution for
/// tree ensembles", Algorithm 2): the Shapley values of v(S) = E[f(x) | x_S], where the expectation follows x on the
/// features in S and splits by cover elsewhere. O(leaves · depth²) per tree. Attributions add up exactly:
/// Σφ + <see cref="ExplainableTree.ExpectedValue"/> = the tree's output for x.
/// </summary>
public static class TreeShap
{
    private struct PathElement
    {
        public int Feature;
        public double ZeroFraction;
        public double OneFraction;
        public double Weight;
    }

    // The path buffer, reused across calls on a thread: one tree at a time, sized for the deepest tree seen.
    [ThreadStatic]
    private static PathElement[]? _buffer;

    /// <summary>Adds the tree's attributions for <paramref name="x"/> to <paramref name="phi"/> (one slot per feature), scaled by <paramref name="scale"/>.</summary>
    public static void Accumulate(ExplainableTree tree, ReadOnlySpan<float> x, Span<double> phi, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var depth = tree.MaxDepth + 2;
        var size = depth * (depth + 1) / 2;
        var path = _buffer is { } b && b.Length >= size ? b : _buffer = new PathElement[size];
        Recurse(tree, x, phi, scale, 0, 0, path, 0, 1, 1, -1);
    }

    private static void Recurse(ExplainableTree tree, ReadOnlySpan<float> x, Span<double> phi, double scale, int node, int depth,
        PathElement[] buffer, int parentAt, double parentZero, double parentOne, int parentFeature)
    {
        // Each level works on its own copy of the path, placed after the parent's in one buffer.
        var at = parentAt + depth;
        if (depth > 0)
        {
            Array.Copy(buffer, parentAt, buffer, at, depth);
        }

        var path = buffer.AsSpan(at);
        Extend(path, depth, parentZero, parentOne, parentFeature);

        if (tree.IsLeaf(node))
        {
            var value = tree.Value[node] * scale;
            for (var i = 1; i <= depth; i++)
            {
                var w = UnwoundSum(path, depth, i);
                phi[path[i].Feature] += w * (path[i].OneFraction - path[i].ZeroFraction) * value;
            }

            return;
        }

        var hot = tree.Next(node, x);
        var cold = hot == tree.TrueChild[node] ? tree.FalseChild[node] : tree.TrueChild[node];
        var cover = tree.Cover[node];

        // No training row reached this node (possible when covers come from routing rows): both shares are zero.
        var hotZero = cover > 0 ? tree.Cover[hot] / cover : 0;
        var coldZero = cover > 0 ? tree.Cover[cold] / cover : 0;
        double incomingZero = 1, incomingOne = 1;

        // A feature split on again higher up the path: undo its earlier extension and carry its fractions down.
        var feature = tree.Feature[node];
        var k = 0;
        while (k <= depth && path[k].Feature != feature) k++;
        if (k <= depth)
        {
            incomingZero = path[k].ZeroFraction;
            incomingOne = path[k].OneFraction;
            Unwind(path, depth, k);
            depth--;
        }

        Recurse(tree, x, phi, scale, hot, depth + 1, buffer, at, hotZero * incomingZero, incomingOne, feature);

        // A cold child with no cover contributes nothing (its zero and one fractions are both 0): skip it, which also
        // keeps the unwinding below from dividing by a zero fraction.
        if (coldZero * incomingZero > 0)
        {
            Recurse(tree, x, phi, scale, cold, depth + 1, buffer, at, coldZero * incomingZero, 0, feature);
        }
    }

    private static void Extend(Span<PathElement> path, int depth, double zero, double one, int feature)
    {
        path[depth] = new PathElement { Feature = feature, ZeroFraction = zero, OneFraction = one, Weight = depth == 0 ? 1 : 0 };
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zero * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = path[i].Weight;
                path[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - (path[i].Weight * zero * (depth - i) / (depth + 1));
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }

        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].ZeroFraction = path[i + 1].ZeroFraction;
            path[i].OneFraction = path[i + 1].OneFraction;
        }
    }

    private static double UnwoundSum(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        double total = 0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = path[i].Weight - (tmp * zero * (depth - i) / (depth + 1));
            }
            else if (zero != 0)
            {
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }

        return total;
    }
}
