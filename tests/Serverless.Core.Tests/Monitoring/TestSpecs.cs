using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Monitoring;

/// <summary>Small specs and seeded data for the drift tests.</summary>
internal static class TestSpecs
{
    public static ModelSpec Numeric(params string[] names) => Spec(ModelTask.Regression, names.Select(n => new FeatureSpec(n, FeatureType.Numeric)).ToArray());

    public static ModelSpec Spec(ModelTask task, params FeatureSpec[] features) => new()
    {
        Task = task,
        Label = "y",
        Features = features,
    };

    public static TabularDataset Data(params (string Name, float[] Values)[] columns) =>
        new(columns.Select(c => DataColumn.Float(c.Name, c.Values)).ToList());

    public static float[] Normal(Random rng, int n, double mean = 0, double std = 1)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            // Box–Muller; 1 − U avoids log(0).
            var u = 1 - rng.NextDouble();
            values[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        }

        return values;
    }

    public static string?[] Categories(Random rng, int n, params (string Value, double Share)[] shares)
    {
        var values = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            var pick = shares[^1].Value;
            foreach (var (value, share) in shares)
            {
                if (u < share)
                {
                    pick = value;
                    break;
                }

                u -= share;
            }

            values[i] = pick;
        }

        return values;
    }
}
