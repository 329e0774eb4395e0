using System.Globalization;
using System.Text;

namespace Serverless.Bench;

/// <summary>
/// A regression dataset with known structure for the sweep area: daily demand of a store, the sum of a sine × linear
/// interaction, a squared term, a threshold step, a saturating log of a heavy-tailed column, per-store and per-weekday
/// effects, a holiday × price interaction and a missing-value signal, plus Gaussian noise (σ = 1.5, so the best
/// possible RMSE is about 1.5). 10 numeric columns (two nullable), 3 categoricals (50 Zipf-distributed stores open to
/// unseen ones, 7 weekdays, a nullable promotion type) and a boolean. Deterministic for a seed.
/// </summary>
internal static class RegressionDataset
{
    public const string CsvName = "demand.csv";

    /// <summary>Standard deviation of the label noise: the RMSE of the true function.</summary>
    public const double NoiseSigma = 1.5;

    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly double[] WeekdayEffect = [0, 0.5, 1, 1.5, 2, 4, 3];
    private static readonly string[] Promotions = ["none", "discount", "bundle", "loyalty"];
    private const int Stores = 50;

    public static void Write(string path, int rows, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine("day,x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,store,weekday,promotion,holiday,demand");
        Span<double> x = stackalloc double[10];
        var line = new StringBuilder(200);
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < x.Length; i++) x[i] = Synthetic.Normal(random);
            x[8] = Math.Exp(x[8]) * 20;                         // heavy-tailed traffic
            x[9] = Math.Round(random.NextDouble() * 30);         // days since last delivery
            var store = Synthetic.Zipf(random, Stores);
            var weekday = random.Next(Weekdays.Length);
            var promotion = random.Next(25) == 0 ? -1 : Synthetic.Zipf(random, Promotions.Length);
            var holiday = random.NextDouble() < 0.05;
            var x3Missing = random.Next(15) == 0;
            var x6Missing = random.Next(25) == 0;

            var y = 20 + 3 * Math.Sin(x[0]) * x[1] + 1.5 * Math.Min(x[2] * x[2], 9) + (x[4] > 1 ? 4 : 0)
                + (x3Missing ? -2 : 1.2 * x[3]) + 0.8 * Math.Log(1 + x[8]) + ((store % 10) - 4.5) * 0.6
                + WeekdayEffect[weekday] + (holiday ? 2 + 1.5 * x[5] : 0) + (promotion switch { 1 => 2.5, 2 => 1.0 * x[7], 3 => 1.5, _ => 0 })
                - 0.1 * x[9] + NoiseSigma * Synthetic.Normal(random);

            line.Clear();
            line.Append('D').Append(r.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < x.Length; i++)
            {
                line.Append(',');
                if ((i == 3 && x3Missing) || (i == 6 && x6Missing)) continue;
                line.Append(Math.Round(x[i], 4).ToString(CultureInfo.InvariantCulture));
            }

            line.Append(",s").Append(store.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Weekdays[weekday])
                .Append(',').Append(promotion < 0 ? "" : Promotions[promotion]).Append(',').Append(holiday ? "true" : "false")
                .Append(',').Append(Math.Round(y, 3).ToString(CultureInfo.InvariantCulture));
            writer.WriteLine(line);
        }
    }

    public const string Spec = """
        {
          "task": "regression",
          "label": "demand",
          "features": [
            { "name": "x0", "type": "numeric" }, { "name": "x1", "type": "numeric" }, { "name": "x2", "type": "numeric" },
            { "name": "x3", "type": "numeric", "nullable": true }, { "name": "x4", "type": "numeric" },
            { "name": "x5", "type": "numeric" }, { "name": "x6", "type": "numeric", "nullable": true },
            { "name": "x7", "type": "numeric" }, { "name": "x8", "type": "numeric", "min": 0 },
            { "name": "x9", "type": "numeric", "min": 0, "max": 30 },
            { "name": "store", "type": "categorical", "unknownCategory": "allow" },
            { "name": "weekday", "type": "categorical", "categories": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
            { "name": "promotion", "type": "categorical", "nullable": true, "categories": ["none", "discount", "bundle", "loyalty"] },
            { "name": "holiday", "type": "boolean" }
          ],
          "trainer": { "type": "lightgbm" },
          "holdout": { "fraction": 0.2, "seed": 42 },
          "gates": { "thresholds": [ { "metric": "r2", "min": 0.5 } ] },
          "allowExtraColumns": true
        }
        """;
}
