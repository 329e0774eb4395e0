using System.Globalization;
using System.Text;

namespace Serverless.Local.Demo;

/// <summary>
/// Generates the telecom-churn sample deterministically: numeric, categorical and boolean columns, some missing
/// values, and a known logistic signal (contract, tenure, charges, support calls and payment method drive churn).
/// </summary>
public static class ChurnSample
{
    public static readonly string[] Contracts = ["month-to-month", "one-year", "two-year"];
    public static readonly string[] Payments = ["electronic-check", "mailed-check", "bank-transfer", "credit-card"];
    public static readonly string[] Internet = ["dsl", "fiber", "none"];
    public static readonly string[] Regions = ["north", "south", "east", "west"];

    public const string Header = "customer_id,tenure_months,monthly_charges,total_charges,contract,payment_method,internet_service,support_calls,autopay,senior,region,churned";

    public static string GenerateCsv(int rows, int seed = 7)
    {
        var sb = new StringBuilder(rows * 96);
        sb.Append(Header).Append('\n');
        var rng = new Random(seed);
        for (var i = 0; i < rows; i++)
        {
            var contract = SampleRandom.Pick(rng, Contracts, [0.55, 0.25, 0.20]);
            var tenure = contract switch
            {
                "month-to-month" => rng.Next(0, 36),
                "one-year" => rng.Next(6, 60),
                _ => rng.Next(12, 73),
            };
            var internet = SampleRandom.Pick(rng, Internet, [0.35, 0.45, 0.20]);
            var monthly = Math.Round(internet switch { "fiber" => 70 + rng.NextDouble() * 50, "dsl" => 40 + rng.NextDouble() * 30, _ => 18 + rng.NextDouble() * 10 }, 2);
            var payment = SampleRandom.Pick(rng, Payments, [0.35, 0.2, 0.22, 0.23]);
            var support = Math.Min(10, (int)Math.Floor(-Math.Log(1 - rng.NextDouble()) * 1.5));
            var autopay = payment is "bank-transfer" or "credit-card" ? rng.NextDouble() < 0.8 : rng.NextDouble() < 0.1;
            var senior = rng.NextDouble() < 0.16;
            var region = Regions[rng.Next(Regions.Length)];

            var logit = -1.2
                + (contract == "month-to-month" ? 1.6 : contract == "one-year" ? 0.2 : -1.0)
                - 0.045 * tenure
                + 0.018 * (monthly - 65)
                + 0.35 * support
                + (payment == "electronic-check" ? 0.6 : 0)
                + (internet == "fiber" ? 0.4 : 0)
                - (autopay ? 0.35 : 0)
                + (senior ? 0.3 : 0)
                + SampleRandom.Gaussian(rng) * 0.8;
            var churned = rng.NextDouble() < 1 / (1 + Math.Exp(-logit));

            // Like the real data set: a new customer has no total yet (missing), the rest roughly tenure × charges.
            var total = tenure == 0 || rng.NextDouble() < 0.01 ? "" : (tenure * monthly * (0.95 + rng.NextDouble() * 0.1)).ToString("F2", CultureInfo.InvariantCulture);

            sb.Append(CultureInfo.InvariantCulture, $"C{100000 + i},{tenure},{monthly.ToString("F2", CultureInfo.InvariantCulture)},{total},{contract},{payment},{internet},{support},{(autopay ? "yes" : "no")},{(senior ? "1" : "0")},{region},{(churned ? "true" : "false")}\n");
        }

        return sb.ToString();
    }
}
