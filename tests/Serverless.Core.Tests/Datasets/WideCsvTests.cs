using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Datasets;

public class WideCsvTests
{
    /// <summary>20 numeric + 2 categorical features and a binary label, the platform's reference shape.</summary>
    internal static (ModelSpec Spec, byte[] Csv) Wide(int rows)
    {
        var features = Enumerable.Range(0, 20).Select(i => new FeatureSpec($"n{i}", FeatureType.Numeric))
            .Append(new FeatureSpec("c0", FeatureType.Categorical, Categories: ["red", "green", "blue"]))
            .Append(new FeatureSpec("c1", FeatureType.Categorical, UnknownCategory: UnknownCategoryPolicy.Allow))
            .ToList();
        var spec = new ModelSpec { Task = ModelTask.Binary, Label = "y", Features = features };

        var colours = new[] { "red", "green", "blue" };
        var rng = new Random(7);

        // Formatting millions of doubles would dominate the test; a pool of values keeps the parse work the same.
        var pool = Enumerable.Range(0, 4096).Select(_ => (rng.NextDouble() * 100 - 50).ToString("F4", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var sb = new StringBuilder(string.Join(",", features.Select(f => f.Name).Append("y"))).Append('\n');
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < 20; i++) sb.Append(pool[rng.Next(pool.Length)]).Append(',');
            sb.Append(colours[r % 3]).Append(",\"city ").Append(r % 50).Append("\",").Append(r % 2).Append('\n');
        }

        return (spec, Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [Fact]
    public void Two_hundred_thousand_wide_rows_validate_completely()
    {
        const int rows = 200_000;
        var (spec, csv) = Wide(rows);

        var r = DatasetContract.Validate(new MemoryStream(csv), "wide.csv", spec, CancellationToken.None);

        Assert.True(r.Accepted);
        Assert.Equal(rows, r.Data!.RowCount);
        Assert.Equal(23, r.Data.Columns.Count);
        Assert.Equal("city 7", r.Data["c1"].TextValues[7]);

        // Repeated categorical values share one string instance instead of one allocation per row.
        Assert.Same(r.Data["c1"].TextValues[7], r.Data["c1"].TextValues[57]);
    }
}
