using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;
using Serverless.Core.Scoring;

namespace Serverless.Core.Tests.Monitoring.Feedback;

/// <summary>Feedback items whose times are out of range get a per-item reason; one request's log lookups are capped.</summary>
public sealed class FeedbackServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 30, 0, TimeSpan.Zero);
    private static readonly JsonElement True = JsonSerializer.SerializeToElement(true);

    private static async Task<FeedbackService> ServiceAsync(int maxHours = 24)
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(default);
        var labeling = new LabelingQueue(new TableServiceClient(Azurite.ConnectionString));
        await labeling.EnsureAsync(default);
        return new FeedbackService(storage, new PredictionLogReader(storage), labeling, new FakeTimeProvider(Now),
            Options.Create(new FeedbackOptions { MaxLogHoursPerRequest = maxHours }));
    }

    private static ModelSpec Spec() => TestSpecs.Spec(ModelTask.Binary, new FeatureSpec("x", FeatureType.Numeric));

    [Fact]
    public async Task Ids_and_observation_times_out_of_range_are_rejected_one_by_one_with_the_reason()
    {
        var service = await ServiceAsync();
        var recent = PredictionIds.New(Now.AddHours(-2));
        var old = PredictionIds.New(Now.AddDays(-40));
        var items = new FeedbackItem[]
        {
            // Embedded time past year 9999 (48 bits of milliseconds reach 10889).
            new("ffffffffffff7" + new string('a', 19), True),
            new(PredictionIds.New(Now.AddDays(1)), True),
            new(recent, True, ObservedAt: Now.AddHours(-3)),
            new(recent, True, ObservedAt: Now.AddDays(2)),
            // 40 days old, "observed" a day after the prediction: arrives outside the 30-day window all the same.
            new(old, True, ObservedAt: Now.AddDays(-39)),
            new(recent, True, ObservedAt: Now.AddMinutes(2)),
        };

        var result = await service.SubmitAsync(Azurite.UniqueModel("fb"), Spec(), items, default);

        Assert.Equal(
            [
                (0, FeedbackReasons.InvalidId), (1, FeedbackReasons.InvalidId), (2, FeedbackReasons.InvalidObservedAt),
                (3, FeedbackReasons.InvalidObservedAt), (4, FeedbackReasons.Late), (5, FeedbackReasons.UnknownId),
            ],
            result.Rejected.Select(r => (r.Index, r.Reason)));
        Assert.Contains("past the year 9999", result.Rejected[0].Detail, StringComparison.Ordinal);
        Assert.Contains("later than now", result.Rejected[1].Detail, StringComparison.Ordinal);
        Assert.Contains("before the prediction", result.Rejected[2].Detail, StringComparison.Ordinal);
        Assert.Contains("in the future", result.Rejected[3].Detail, StringComparison.Ordinal);
        Assert.Contains("40.0 days", result.Rejected[4].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_request_looks_up_at_most_the_configured_number_of_log_hours_and_a_bulk_file_is_chunked_instead()
    {
        var service = await ServiceAsync(maxHours: 4);
        var model = Azurite.UniqueModel("fbh");

        // Ten distinct hours, two labels each, interleaved.
        var items = Enumerable.Range(0, 20).Select(i => new FeedbackItem(PredictionIds.New(Now.AddHours(-1 - (i % 10))), True)).ToList();

        var request = await service.SubmitAsync(model, Spec(), items, default);
        Assert.Equal(8, request.Rejected.Count(r => r.Reason == FeedbackReasons.UnknownId));
        Assert.Equal(12, request.Rejected.Count(r => r.Reason == FeedbackReasons.TooManyHours));
        var looked = request.Rejected.Where(r => r.Reason == FeedbackReasons.UnknownId).Select(r => Hour(r.PredictionId!)).ToHashSet();
        Assert.Equal(4, looked.Count);
        Assert.All(request.Rejected.Where(r => r.Reason == FeedbackReasons.TooManyHours), r => Assert.DoesNotContain(Hour(r.PredictionId!), looked));

        var bulk = await service.SubmitBulkAsync(model, Spec(), items, default);
        Assert.Equal(20, bulk.Received);
        Assert.Equal(Enumerable.Range(0, 20), bulk.Rejected.Select(r => r.Index));
        Assert.All(bulk.Rejected, r => Assert.Equal(FeedbackReasons.UnknownId, r.Reason));
        Assert.Equal(items.Select(i => i.PredictionId), bulk.Rejected.Select(r => r.PredictionId));
    }

    private static string Hour(string id)
    {
        Assert.True(PredictionIds.TryGetTimestamp(id, out var at));
        return PredictionLogReader.Floor(at).ToString("O", CultureInfo.InvariantCulture);
    }
}
