using System.Globalization;
using System.Text;
using Serverless.Core.Datasets;

namespace Serverless.Local.Demo;

/// <summary>
/// The two-view sample (<c>samples/accounts</c>), generated deterministically from a seed and an as-of time: the
/// sources of feature views <c>customer_profile</c> (CRM rows: tenure, plan, auto-pay; some customers change plan)
/// and <c>customer_usage</c> (daily rolling windows: support calls in 7 days, data in 30 days), and the entity
/// dataframe (customer, event time, churned) whose labels follow the features as the point-in-time join sees them.
/// </summary>
public sealed class AccountsSample
{
    public static readonly string[] Plans = ["basic", "plus", "pro"];

    /// <summary>Daily usage windows per customer, the newest ending at the as-of time.</summary>
    public const int UsageDays = 45;

    private const int ProfileStartDays = 200;
    private const int LabelWindowDays = 40;

    private AccountsSample(TabularDataset profile, TabularDataset usage, string labelsCsv, IReadOnlyList<Customer> customers)
    {
        Profile = profile;
        Usage = usage;
        LabelsCsv = labelsCsv;
        Customers = customers;
    }

    /// <summary>Source of <c>customer_profile</c>: customer_id, updated_at, tenure_months, plan, auto_pay.</summary>
    public TabularDataset Profile { get; }

    /// <summary>Source of <c>customer_usage</c>: customer_id, window_end, calls_7d, data_gb_30d.</summary>
    public TabularDataset Usage { get; }

    /// <summary>The drop: customer_id, event_timestamp, churned.</summary>
    public string LabelsCsv { get; }

    /// <summary>Each customer's values as of the as-of time (what the online store serves after materializing).</summary>
    public IReadOnlyList<Customer> Customers { get; }

    /// <summary>A customer's latest profile and usage values.</summary>
    public sealed record Customer(string Id, double TenureMonths, string Plan, bool AutoPay, double Calls7d, double DataGb30d);

    public static AccountsSample Generate(int customers, DateTimeOffset asOf, int labelsPerCustomer = 4, int seed = 11)
    {
        var rng = new Random(seed);
        var (pId, pAt, pTenure, pPlan, pAuto) = (new List<string>(), new List<string>(), new List<float>(), new List<string>(), new List<float>());
        var (uId, uAt, uCalls, uData) = (new List<string>(), new List<string>(), new List<float>(), new List<float>());
        var labels = new StringBuilder("customer_id,event_timestamp,churned\n");
        var latest = new List<Customer>(customers);
        for (var i = 0; i < customers; i++)
        {
            var id = $"A{10000 + i}";
            var joined = asOf.AddDays(-ProfileStartDays - rng.Next(0, 30)).AddMinutes(rng.Next(0, 1440));
            var tenureAtJoin = rng.Next(0, 60);
            var plan = SampleRandom.Pick(rng, Plans, [0.5, 0.3, 0.2]);
            var autoPay = rng.NextDouble() < 0.45;
            // About a third change plan within the label window: a label row before the change must see the old plan.
            var changedAt = rng.NextDouble() < 0.35 ? asOf.AddDays(-rng.Next(1, LabelWindowDays)).AddMinutes(rng.Next(0, 1440)) : (DateTimeOffset?)null;
            var newPlan = Plans[rng.Next(Plans.Length)];
            AddProfile(id, joined, tenureAtJoin, plan, autoPay);
            if (changedAt is { } at) AddProfile(id, at, tenureAtJoin + Months(joined, at), newPlan, autoPay);

            // Unhappy customers call support more; calls and data drift day by day.
            var unhappy = rng.NextDouble() < 0.3;
            var calls = new double[UsageDays];
            var data = new double[UsageDays];
            for (var d = UsageDays - 1; d >= 0; d--)
            {
                calls[d] = Math.Max(0, Math.Round((unhappy ? 4 : 1) + SampleRandom.Gaussian(rng) * 1.5));
                data[d] = Math.Round(Math.Max(0, 12 + SampleRandom.Gaussian(rng) * 6 - (unhappy ? 4 : 0)), 1);
                uId.Add(id);
                uAt.Add(Iso(asOf.AddDays(-d)));
                uCalls.Add((float)calls[d]);
                uData.Add((float)data[d]);
            }

            for (var l = 0; l < labelsPerCustomer; l++)
            {
                var t = asOf.AddDays(-rng.Next(1, LabelWindowDays)).AddMinutes(-rng.Next(0, 1440));
                // The profile row the join picks: the change when it happened at or before t.
                var changed = changedAt is { } c && c <= t;
                var p = changed ? newPlan : plan;
                var tenure = changed ? tenureAtJoin + Months(joined, changedAt!.Value) : tenureAtJoin;
                var day = (int)Math.Ceiling((asOf - t).TotalDays); // the newest window ending at or before t
                var logit = -0.6 + (p == "basic" ? 0.8 : p == "plus" ? 0 : -0.7) - 0.05 * tenure + 0.45 * calls[day]
                    - (autoPay ? 0.7 : 0) - 0.04 * data[day] + SampleRandom.Gaussian(rng) * 0.5;
                var churned = rng.NextDouble() < 1 / (1 + Math.Exp(-logit));
                labels.Append(CultureInfo.InvariantCulture, $"{id},{Iso(t)},{(churned ? "true" : "false")}\n");
            }

            latest.Add(new Customer(id, pTenure[^1], pPlan[^1], pAuto[^1] == 1, calls[0], data[0]));
        }

        return new AccountsSample(
            new TabularDataset([DataColumn.Text("customer_id", [.. pId]), DataColumn.Text("updated_at", [.. pAt]), DataColumn.Float("tenure_months", [.. pTenure]), DataColumn.Text("plan", [.. pPlan]), DataColumn.Float("auto_pay", [.. pAuto])]),
            new TabularDataset([DataColumn.Text("customer_id", [.. uId]), DataColumn.Text("window_end", [.. uAt]), DataColumn.Float("calls_7d", [.. uCalls]), DataColumn.Float("data_gb_30d", [.. uData])]),
            labels.ToString(),
            latest);

        void AddProfile(string id, DateTimeOffset at, int tenure, string plan, bool autoPay)
        {
            pId.Add(id);
            pAt.Add(Iso(at));
            pTenure.Add(tenure);
            pPlan.Add(plan);
            pAuto.Add(autoPay ? 1 : 0);
        }
    }

    private static int Months(DateTimeOffset from, DateTimeOffset to) => (int)((to - from).TotalDays / 30.44);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
