using System.Net.Http.Json;
using Serverless.Core;
using Serverless.Core.Scoring;
using Serverless.Local.Demo;

namespace Serverless.Local.Tests;

/// <summary>
/// <c>demo accounts</c> on the local host: the two-view sample trains through the point-in-time join, is materialized,
/// and a request that sends only the customer id scores as one that sends that customer's latest features. On a host
/// of its own: on a shared one, a materialization an earlier test started would have moved the views' watermarks past
/// the sample's older source rows (those reach the online store only by push).
/// </summary>
public sealed class AccountsDemoTests(PrivateHost fixture) : IClassFixture<PrivateHost>
{
    private LocalHostFixture Host => fixture.Host;

    [Fact]
    public async Task The_accounts_demo_trains_on_two_views_materializes_and_scores_a_customer_by_key()
    {
        using var output = new StringWriter();
        var code = await AccountsDemo.RunAsync(Host.Services, Host.Http, output, CancellationToken.None);
        var printed = output.ToString();

        Assert.True(code == 0, printed);
        Assert.Contains("✓ train", printed, StringComparison.Ordinal);
        Assert.Matches(@"Materialized customer_profile v\w+: [\d,]+ source rows .*, 1,500 entities written", printed);
        Assert.Matches(@"Materialized customer_usage v\w+: [\d,]+ source rows .*, 1,500 entities written", printed);
        Assert.Contains("→ 200", printed, StringComparison.Ordinal);

        // The customer's values as of now are what the online store serves (values do not depend on the as-of time).
        var c = AccountsSample.Generate(AccountsDemo.Customers, DateTimeOffset.UnixEpoch).Customers.Single(x => x.Id == AccountsDemo.Customer);
        var byKey = await PredictAsync(new { rows = new[] { new { customer_id = AccountsDemo.Customer } } });
        var explicitly = await PredictAsync(new { rows = new[] { new { tenure_months = c.TenureMonths, plan = c.Plan, auto_pay = c.AutoPay, calls_7d = c.Calls7d, data_gb_30d = c.DataGb30d } } });
        Assert.Equal(explicitly.Predictions.Single().Score, byKey.Predictions.Single().Score);
        Assert.Contains($"\"score\":{byKey.Predictions.Single().Score!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", printed, StringComparison.Ordinal);
    }

    private async Task<PredictResponse> PredictAsync(object body)
    {
        var response = await Host.Http.PostAsJsonAsync($"/api/models/{AccountsDemo.Model}/predict", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!;
    }
}
