using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

public sealed class ReferenceProfileTests
{
    private static readonly ModelSpec Spec = TestSpecs.Spec(ModelTask.Multiclass,
        [.. Enumerable.Range(0, 10).Select(i => new FeatureSpec($"x{i}", FeatureType.Numeric)),
         new FeatureSpec("c0", FeatureType.Categorical), new FeatureSpec("c1", FeatureType.Categorical), new FeatureSpec("c2", FeatureType.Categorical)]);

    internal static TabularDataset Rows(int seed, int n, int cardinality = 50)
    {
        var rng = new Random(seed);
        var columns = new List<DataColumn>();
        for (var i = 0; i < 10; i++) columns.Add(DataColumn.Float($"x{i}", TestSpecs.Normal(rng, n, i, 1 + i)));
        for (var i = 0; i < 3; i++) columns.Add(DataColumn.Text($"c{i}", Enumerable.Range(0, n).Select(_ => $"v{rng.Next(cardinality)}").ToArray()));
        return new TabularDataset(columns);
    }

    [Fact]
    public void Json_round_trips_and_stays_small_for_100k_rows()
    {
        var rng = new Random(5);
        var labels = Enumerable.Range(0, 100_000).Select(_ => rng.Next(3).ToString()).ToArray();
        var profile = ReferenceProfile.Build(Spec, Rows(4, 100_000, cardinality: 1000), labels);

        var json = JsonSerializer.Serialize(profile, PlatformJson.Options);
        Assert.InRange(json.Length, 1, 120_000); // 13 columns × (≤ 203 slots or ≤ 257 categories) + prediction
        var back = JsonSerializer.Deserialize<ReferenceProfile>(json, PlatformJson.Options)!;

        Assert.Equal(profile.Rows, back.Rows);
        Assert.Equal(ColumnKinds.Categorical, back.Prediction!.Kind);
        foreach (var (a, b) in profile.Features.Append(profile.Prediction!).Zip(back.Features.Append(back.Prediction)))
        {
            Assert.Equal((a.Name, a.Kind, a.Count, a.MissingCount), (b.Name, b.Kind, b.Count, b.MissingCount));
            if (a.Numeric is { } n)
            {
                Assert.False(n.Exact); // normal draws: 100k distinct values, quantile edges
                Assert.Equal((n.Mean, n.Std), (b.Numeric!.Mean, b.Numeric.Std));
                Assert.Equal(n.Edges, b.Numeric.Edges);
                Assert.Equal(n.Counts, b.Numeric.Counts);
                Assert.Equal(n.Mass, b.Numeric.Mass);
            }
            else
            {
                Assert.Equal(a.Categorical!.Categories, b.Categorical!.Categories);
                Assert.Equal(a.Categorical.Counts, b.Categorical.Counts);
            }
        }

        // 1000 categories: the 256 most frequent are kept, the rest share "other".
        Assert.Equal(CategoryCounts.MaxCategories, profile.Features[10].Categorical!.Categories.Count);
        Assert.Equal(100_000, profile.Features[10].Categorical!.Counts.Sum());
    }

    [Fact]
    public void Small_reference_keeps_every_distinct_value()
    {
        var data = TestSpecs.Data(("x", [3, 1, 2, 2, float.NaN]));
        var p = ReferenceProfile.Build(TestSpecs.Numeric("x"), data, (DataColumn?)null).Features[0];
        Assert.Equal((4L, 1L), (p.Count, p.MissingCount));
        Assert.True(p.Numeric!.Exact);
        Assert.Equal([1.0, 2, 3], p.Numeric.Edges);
        Assert.Equal([0L, 1, 0, 2, 0, 1, 0], p.Numeric.Counts);
        Assert.Equal(2.0, p.Numeric.Mean, 12);
        Assert.Equal(Math.Sqrt(0.5), p.Numeric.Std, 12); // population std of {1, 2, 2, 3}
    }

    [Fact]
    public void Predictions_must_match_the_task()
    {
        var data = Rows(1, 10);
        Assert.Throws<ArgumentException>(() => ReferenceProfile.Build(Spec, data, new float[10]));
    }
}
