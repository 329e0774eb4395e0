namespace Serverless.Core.Explanations;

/// <summary>Node covers by routing rows through trees: the count of rows reaching each node.</summary>
public static class TreeCovers
{
    /// <param name="tree">The tree (its own covers are ignored).</param>
    /// <param name="features">Row-major feature vectors, <paramref name="width"/> values per row.</param>
    /// <param name="width">Features per row.</param>
    public static double[] Count(ExplainableTree tree, ReadOnlySpan<float> features, int width)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var cover = new double[tree.NodeCount];
        for (var at = 0; at + width <= features.Length; at += width)
        {
            var x = features.Slice(at, width);
            var node = 0;
            cover[0]++;
            while (!tree.IsLeaf(node))
            {
                node = tree.Next(node, x);
                cover[node]++;
            }
        }

        return cover;
    }
}
