using System.Globalization;
using System.Text;

namespace Serverless.Bench;

/// <summary>
/// A multiclass dataset with known structure for the sweep area: which of five plans a customer moves to next,
/// drawn from a softmax over class scores built from nonlinear functions of 8 numeric columns (two nullable with
/// missing values whose absence itself carries signal, one heavy-tailed), interactions, 3 categoricals (6 and 30
/// Zipf-distributed levels, one nullable) and a boolean. Sampling the label makes the Bayes error well above zero,
/// so no model reaches accuracy 1. Deterministic for a seed; nothing but one row is held in memory.
/// </summary>
internal static class MulticlassDataset
{
    public const string CsvName = "plans.csv";

    private static readonly string[] Classes = ["basic", "plus", "family", "pro", "cancel"];
    private static readonly string[] Segments = ["consumer", "student", "small-business", "enterprise", "public", "nonprofit"];
    private static readonly string[] Tiers = ["bronze", "silver", "gold"];
    private const int Cities = 30;

    public static void Write(string path, int rows, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine("customer,f0,f1,f2,f3,f4,f5,f6,f7,segment,city,tier,member,next_plan");
        Span<double> f = stackalloc double[8];
        Span<double> z = stackalloc double[Classes.Length];
        var line = new StringBuilder(200);
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < 6; i++) f[i] = Synthetic.Normal(random);
            f[6] = random.NextDouble() * 10;
            f[7] = Math.Exp(Synthetic.Normal(random)) * 50;     // heavy-tailed spend
            var segment = Synthetic.Zipf(random, Segments.Length);
            var city = Synthetic.Zipf(random, Cities);
            var tier = random.Next(20) == 0 ? -1 : random.Next(Tiers.Length);
            var member = random.NextDouble() < 0.4;
            var f2Missing = random.Next(12) == 0;
            var f5Missing = random.Next(20) == 0;

            z[0] = 0;
            z[1] = 0.9 * f[0] + 0.6 * Math.Sin(2 * f[1]) + (segment is 1 ? 0.8 : 0) - 0.3;
            z[2] = 1.1 * f[0] * f[1] - (f2Missing ? -0.7 : 0.6 * f[2]) + 0.12 * f[6] - 0.6 + (member ? 0.4 : 0);
            z[3] = -1.2 + 0.9 * Math.Abs(f[3]) + 0.35 * Math.Log(f[7]) * (tier == 2 ? 1 : 0.3) + ((city % 4) - 1.5) * 0.35
                + (segment is 2 or 3 ? 0.9 : 0);
            z[4] = -0.8 + (f[4] > 0.5 ? 1.2 : -0.4) * (f5Missing ? 1 : f[5]) + (tier == -1 ? 0.8 : 0) - (member ? 0.6 : 0)
                + 0.5 * Math.Cos(f[6]);
            var label = Synthetic.Softmax(random, z);

            line.Clear();
            line.Append('M').Append(r.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < f.Length; i++)
            {
                line.Append(',');
                if ((i == 2 && f2Missing) || (i == 5 && f5Missing)) continue;
                line.Append(Math.Round(f[i], 4).ToString(CultureInfo.InvariantCulture));
            }

            line.Append(',').Append(Segments[segment]).Append(",c").Append(city.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(tier < 0 ? "" : Tiers[tier]).Append(',').Append(member ? "yes" : "no")
                .Append(',').Append(Classes[label]);
            writer.WriteLine(line);
        }
    }

    public const string Spec = """
        {
          "task": "multiclass",
          "label": "next_plan",
          "features": [
            { "name": "f0", "type": "numeric" }, { "name": "f1", "type": "numeric" },
            { "name": "f2", "type": "numeric", "nullable": true }, { "name": "f3", "type": "numeric" },
            { "name": "f4", "type": "numeric" }, { "name": "f5", "type": "numeric", "nullable": true },
            { "name": "f6", "type": "numeric", "min": 0, "max": 10 }, { "name": "f7", "type": "numeric", "min": 0 },
            { "name": "segment", "type": "categorical", "categories": ["consumer", "student", "small-business", "enterprise", "public", "nonprofit"] },
            { "name": "city", "type": "categorical", "unknownCategory": "allow" },
            { "name": "tier", "type": "categorical", "nullable": true, "categories": ["bronze", "silver", "gold"] },
            { "name": "member", "type": "boolean" }
          ],
          "trainer": { "type": "lightgbm" },
          "holdout": { "fraction": 0.2, "seed": 42 },
          "gates": { "thresholds": [ { "metric": "accuracy", "min": 0.3 } ] },
          "allowExtraColumns": true
        }
        """;
}
