using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Serverless.App.Runs;
using Serverless.Core.Runs;

namespace Serverless.App.Tests.Runs;

public sealed class RunListQueryTests
{
    private static Outcome<RunQuery> Parse(string query) => RunListQuery.Parse("churn", new QueryCollection(QueryHelpers.ParseQuery(query)));

    [Fact]
    public void Repeated_and_comma_separated_values_combine_and_dates_are_read_as_utc()
    {
        var q = Assert.IsType<Outcome<RunQuery>.Done>(Parse("?status=failed,canceled&status=promoted&trigger=rerun&from=2026-12-01&to=2026-12-07T10:00:00%2B01:00&pageSize=7&continuationToken=abc")).Value;
        Assert.Equal(["canceled", "failed", "promoted"], q.Statuses.Order());
        Assert.Equal(["rerun"], q.Triggers);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), q.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), q.To);
        Assert.Equal((7, "abc", "churn"), (q.PageSize, q.ContinuationToken, q.Model));
    }

    [Fact]
    public void Without_parameters_every_run_is_listed_fifty_at_a_time()
    {
        var q = Assert.IsType<Outcome<RunQuery>.Done>(Parse("")).Value;
        Assert.Equal((0, 0, null, null, RunListQuery.DefaultPageSize, null), (q.Statuses.Count, q.Triggers.Count, q.From, q.To, q.PageSize, q.ContinuationToken));
    }

    [Theory]
    [InlineData("?status=done", "status")]
    [InlineData("?trigger=cron", "trigger")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-12-07&to=2026-12-01", "from")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=201", "pageSize")]
    [InlineData("?pageSize=1e3", "pageSize")]
    [InlineData("?continuationToken=a%2Bb", "continuationToken")]
    public void Each_bad_field_is_named(string query, string field)
    {
        var invalid = Assert.IsType<Outcome<RunQuery>.Invalid>(Parse(query));
        Assert.Equal(field, Assert.Single(invalid.Errors!).Field);
    }

    [Fact]
    public void A_summary_matches_a_status_filter_by_its_state_or_its_outcome()
    {
        var run = new RunSummary("churn-x", "churn", RunStatuses.Completed, RunOutcomes.Registered, RunTriggers.Drop, default, default, "x", 2, "done", null, null);
        RunQuery Query(string[] statuses, string[] triggers) => new("churn", statuses.ToHashSet(), triggers.ToHashSet(), null, null, 10, null);
        Assert.True(Query([], []).Matches(run));
        Assert.True(Query([RunStatuses.Completed], []).Matches(run));
        Assert.True(Query([RunStatuses.Registered], [RunTriggers.Drop]).Matches(run));
        Assert.False(Query([RunStatuses.Promoted], []).Matches(run));
        Assert.False(Query([], [RunTriggers.Rerun]).Matches(run));
    }
}
