using Azure.Data.Tables;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Monitoring.Labeling;

public sealed class LabelingQueueTests
{
    [Fact]
    public async Task Uncertain_single_row_entries_of_two_models_are_all_queued_under_their_own_model()
    {
        await Azurite.EnsureRunningAsync();
        var queue = new LabelingQueue(new TableServiceClient(Azurite.ConnectionString));
        await queue.EnsureAsync(default);
        var (a, b) = (Azurite.UniqueModel("lq-a"), Azurite.UniqueModel("lq-b"));
        var at = DateTimeOffset.UtcNow;

        // 250 one-row requests, interleaved across two models (two partitions), 150 of them uncertain: more than one
        // entity-group transaction per model, and partition switches mid-batch.
        var entries = Enumerable.Range(0, 250).Select(i =>
        {
            var score = i % 5 < 3 ? 0.55 : 0.99;
            var inputs = new TabularDataset([DataColumn.Float("x", [i])]);
            return new PredictionLogEntry(i % 2 == 0 ? a : b, 1, ModelTask.Binary, $"req-{i}", at, inputs, [new Prediction(PredictionIds.New(at), "true", score, null)], 0.8);
        }).ToList();

        await queue.EnqueueUncertainAsync(entries, default);

        foreach (var model in new[] { a, b })
        {
            var expected = entries.Where(e => e.Model == model && e.Predictions[0].Score < 0.8).Select(e => e.Predictions[0].Id).ToHashSet();
            var queued = await queue.TakeAsync(model, 1000, default);
            Assert.Equal(expected, queued.Select(q => q.PredictionId).ToHashSet());
        }
    }
}
