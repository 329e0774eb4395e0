using System.Globalization;
using System.Text;

namespace Serverless.Bench;

/// <summary>
/// Writes a binary-classification dataset of any size straight to disk (nothing but one row is held in memory):
/// 24 columns — an id, 14 numeric (three nullable, with missing values; two heavy-tailed), 6 categorical (3 to 250
/// levels, Zipf-distributed, one open to unseen levels), 2 boolean — and a yes/no label drawn from a logistic model
/// with interactions, so AUC means something. About 1 in 2,000 rows carries a messy value (a non-number, an unknown
/// category) that the contract drops; the spec written beside it allows that. Deterministic for a seed.
/// <c>dotnet run -c Release --project bench/Serverless.Bench -- generate ROWS DIR [SEED]</c> writes
/// <c>DIR/synthetic.csv</c> and <c>DIR/model.json</c>.
/// </summary>
internal static class SyntheticDataset
{
    public const string Mode = "generate";
    public const string CsvName = "synthetic.csv";

    private static readonly string[] Plans = ["basic", "plus", "pro", "enterprise"];
    private static readonly string[] Channels = ["web", "store", "partner", "phone", "email"];
    private static readonly string[] Devices = ["ios", "android", "windows", "mac", "linux", "other"];
    private static readonly string[] Sizes = ["s", "m", "l"];
    private const int Regions = 40;
    private const int Products = 250;

    public static int Run(string[] args)
    {
        if (args.Length < 2 || !long.TryParse(args[0], out var rows) || rows <= 0)
        {
            Console.Error.WriteLine("usage: -- generate ROWS DIR [SEED]");
            return 2;
        }

        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        Directory.CreateDirectory(args[1]);
        var csv = Path.Combine(args[1], CsvName);
        Write(csv, rows, seed);
        File.WriteAllText(Path.Combine(args[1], "model.json"), Spec);
        Console.WriteLine($"{rows:N0} rows, {new FileInfo(csv).Length / 1048576.0:N0} MiB → {csv}");
        return 0;
    }

    public static void Write(string path, long rows, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("id,label");
        for (var i = 0; i < 14; i++) writer.Write($",x{i}");
        writer.WriteLine(",plan,channel,device,size,region,product,promo,verified");
        Span<double> x = stackalloc double[14];
        var line = new StringBuilder(256);
        for (long r = 0; r < rows; r++)
        {
            for (var i = 0; i < x.Length; i++) x[i] = Normal(random);
            x[12] = Math.Exp(x[12]) * 100;                    // heavy-tailed amounts
            x[13] = Math.Round(Math.Abs(x[13]) * 20);         // counts
            var plan = Zipf(random, Plans.Length);
            var channel = Zipf(random, Channels.Length);
            var device = Zipf(random, Devices.Length);
            var size = random.Next(Sizes.Length);
            var region = Zipf(random, Regions);
            var product = Zipf(random, Products);
            var promo = random.NextDouble() < 0.3;
            var verified = random.NextDouble() < 0.7;
            var logit = -1.0 + 0.9 * x[0] - 0.7 * x[1] + 0.5 * x[2] * x[3] + 0.4 * Math.Sin(2 * x[4]) + 0.3 * x[5]
                + 0.004 * Math.Min(x[12], 1000) - 0.05 * x[13] + 0.35 * plan - 0.2 * channel + (promo ? 0.6 : 0) + (verified ? 0.3 : -0.2)
                + ((product % 7) - 3) * 0.15 + ((region % 5) - 2) * 0.1;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-logit));

            line.Clear();
            line.Append('R').Append(r.ToString(CultureInfo.InvariantCulture)).Append(',').Append(label ? "yes" : "no");
            var messy = random.Next(2000) == 0 ? random.Next(3) : -1;
            for (var i = 0; i < x.Length; i++)
            {
                line.Append(',');
                if (i is 6 or 7 or 8 && random.Next(20) == 0) continue;  // missing (nullable columns)
                if (i == 9 && messy == 0) { line.Append("n/a?"); continue; }
                line.Append(Math.Round(x[i], 4).ToString(CultureInfo.InvariantCulture));
            }

            line.Append(',').Append(Plans[plan]).Append(',').Append(Channels[channel]).Append(',').Append(Devices[device])
                .Append(',').Append(messy == 1 ? "xl" : Sizes[size])
                .Append(",r").Append(region.ToString(CultureInfo.InvariantCulture))
                .Append(",p").Append(product.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(promo ? "true" : "false").Append(',').Append(messy == 2 ? "maybe" : verified ? "1" : "0");
            writer.WriteLine(line);
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>An index in [0, n) with probability ∝ 1/(i+1).</summary>
    private static int Zipf(Random random, int n)
    {
        var h = Math.Log(n) + 0.5772;
        var u = random.NextDouble() * h;
        var i = (int)Math.Exp(u - 0.5772) - 1;
        return Math.Clamp(i, 0, n - 1);
    }

    public const string Spec = """
        {
          "task": "binary",
          "label": "label",
          "features": [
            { "name": "x0", "type": "numeric" }, { "name": "x1", "type": "numeric" }, { "name": "x2", "type": "numeric" },
            { "name": "x3", "type": "numeric" }, { "name": "x4", "type": "numeric" }, { "name": "x5", "type": "numeric" },
            { "name": "x6", "type": "numeric", "nullable": true }, { "name": "x7", "type": "numeric", "nullable": true },
            { "name": "x8", "type": "numeric", "nullable": true }, { "name": "x9", "type": "numeric" },
            { "name": "x10", "type": "numeric" }, { "name": "x11", "type": "numeric" },
            { "name": "x12", "type": "numeric", "min": 0 }, { "name": "x13", "type": "numeric", "min": 0 },
            { "name": "plan", "type": "categorical", "categories": ["basic", "plus", "pro", "enterprise"] },
            { "name": "channel", "type": "categorical", "categories": ["web", "store", "partner", "phone", "email"] },
            { "name": "device", "type": "categorical", "categories": ["ios", "android", "windows", "mac", "linux", "other"] },
            { "name": "size", "type": "categorical", "categories": ["s", "m", "l"] },
            { "name": "region", "type": "categorical", "unknownCategory": "allow" },
            { "name": "product", "type": "categorical", "unknownCategory": "allow" },
            { "name": "promo", "type": "boolean" },
            { "name": "verified", "type": "boolean" }
          ],
          "trainer": {
            "type": "lightgbm",
            "hyperparameters": { "numberOfTrees": 200, "numberOfLeaves": 31, "learningRate": 0.1, "minimumExampleCountPerLeaf": 20 }
          },
          "holdout": { "fraction": 0.2, "seed": 42 },
          "gates": { "thresholds": [ { "metric": "auc", "min": 0.6 } ] },
          "maxInvalidRowFraction": 0.01,
          "allowExtraColumns": true
        }
        """;
}
