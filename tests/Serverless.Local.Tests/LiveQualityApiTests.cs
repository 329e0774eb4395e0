using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Core;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary><c>GET /api/models/{model}/monitoring/quality</c>: its query checked field by field, its defaults, its role.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class LiveQualityApiTests(LocalHostFixture host)
{
    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=1d", "from")]
    [InlineData("bucket=0m", "bucket")]
    [InlineData("bucket=30s", "bucket")]
    [InlineData("bucket=hourly", "bucket")]
    [InlineData("bucket=1m", "bucket")]
    [InlineData("from=2026-12-01T00:00:00Z&to=2026-12-07T00:00:00Z&bucket=5m", "bucket")]
    [InlineData("minLabels=0", "minLabels")]
    [InlineData("minLabels=ten", "minLabels")]
    public async Task A_bad_query_is_a_400_naming_the_field(string query, string field)
    {
        var model = await ModelWithSpecAsync();

        var response = await host.Http.GetAsync($"/api/models/{model}/monitoring/quality?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Too_many_buckets_says_the_smallest_bucket_that_fits()
    {
        var model = await ModelWithSpecAsync();

        var response = await host.Http.GetAsync($"/api/models/{model}/monitoring/quality?from=2026-12-01T00:00:00Z&to=2026-12-07T00:00:00Z&bucket=5m");

        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("Invalid live quality query: 'bucket' 00:05:00 over 6.00:00:00 makes 1728 buckets; at most 1000: use a bucket of at least 00:09:00.", detail);
    }

    [Fact]
    public async Task Without_a_query_it_covers_the_specs_longest_quality_window_in_hour_buckets_aligned_to_the_hour()
    {
        var model = await ModelWithSpecAsync();
        var before = DateTimeOffset.UtcNow;

        var series = (await host.Http.GetFromJsonAsync<LiveQualitySeries>($"/api/models/{model}/monitoring/quality", PlatformJson.Options))!;

        Assert.Equal((TimeSpan.FromHours(1), ModelTask.Binary, 10), (series.Bucket, series.Task, series.MinLabels));
        Assert.Equal(PredictionLogReader.Floor(series.To - TimeSpan.FromDays(7)), series.From);
        Assert.InRange(series.To, before, DateTimeOffset.UtcNow);
        Assert.Equal(MetricNames.For(ModelTask.Binary), series.Metrics);
        Assert.Empty(series.Versions); // nothing logged yet
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_and_the_scoring_key_is_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/models/{Azurite.UniqueModel("nobody")}/monitoring/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("/api/models/Not_A_Name/monitoring/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.GetAsync("/api/models/x/monitoring/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/models/x/monitoring/quality")).StatusCode);
    }

    private async Task<string> ModelWithSpecAsync()
    {
        var model = Azurite.UniqueModel("lqapi");
        await host.PutSpecAsync(model, Samples.SpecJson());
        return model;
    }
}
