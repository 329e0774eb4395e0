using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Releases;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Releases;

/// <summary>
/// The two guardrails that read the prediction log, over real logged files and labels on Azurite: live quality of the
/// candidate's labelled predictions against <c>minLiveQuality</c>, and the KS distance between the candidate's and the
/// champion's logged scores against <c>maxPredictionDrift</c>. A breach is what the release orchestration rolls back on,
/// with <see cref="GuardrailVerdict.Breaches"/> as its reason.
/// </summary>
public sealed class GuardrailEvaluatorTests
{
    private const int Champion = 1;
    private const int Candidate = 2;
    private const double Tolerance = 1e-9;

    [Fact]
    public async Task Labels_that_show_the_candidate_wrong_put_its_live_accuracy_below_minLiveQuality_and_breach()
    {
        var g = await GuardAsync(new ReleaseGuardrails { MinLiveQuality = new LiveQualityGuardrail(MetricNames.Accuracy, 0.7, MinLabels: 40) });
        // The candidate says "true" with 0.9 for 50 customers; 40 of them turn out false, 10 true: accuracy 0.2.
        var ids = await g.LogAsync(Candidate, Enumerable.Repeat(0.9, 50));
        await g.LabelAsync(ids.Select((id, i) => (id, i < 10)));

        var verdict = await g.EvaluateAsync();

        Assert.False(verdict.Held);
        var check = Assert.Single(verdict.Checks);
        Assert.Equal(("minLiveQuality", false), (check.Name, check.Held));
        Assert.Equal(0.2, check.Value!.Value, Tolerance);
        Assert.Equal("live accuracy 0.2 over 50 labels misses 0.7", verdict.Breaches);
    }

    [Fact]
    public async Task Labels_that_show_the_candidate_right_hold_and_too_few_labels_are_not_judged()
    {
        var g = await GuardAsync(new ReleaseGuardrails { MinLiveQuality = new LiveQualityGuardrail(MetricNames.Accuracy, 0.7, MinLabels: 40) });
        var ids = await g.LogAsync(Candidate, Enumerable.Repeat(0.9, 50));

        // 39 labels, all showing the candidate wrong: under minLabels, so no verdict on quality yet.
        await g.LabelAsync(ids.Take(39).Select(id => (id, false)));
        var early = await g.EvaluateAsync();
        Assert.True(early.Held);
        Assert.Null(Assert.Single(early.Checks).Value);
        Assert.StartsWith("live accuracy not judged yet: 39 labelled predictions of v2 (at least 40)", early.Checks[0].Detail, StringComparison.Ordinal);

        // Later labels win: the same 39 corrected to true, and 11 more true: accuracy 1.
        await g.LabelAsync(ids.Select(id => (id, true)));
        var late = await g.EvaluateAsync();
        Assert.True(late.Held, late.Breaches);
        Assert.Equal(1.0, late.Checks[0].Value!.Value, Tolerance);
    }

    [Fact]
    public async Task Candidate_scores_far_from_the_champions_breach_maxPredictionDrift_with_the_KS_distance()
    {
        var g = await GuardAsync(new ReleaseGuardrails { MaxPredictionDrift = 0.2 });
        // Champion in [0.05, 0.45], candidate in [0.35, 0.75]: 30 of the champion's 40 scores lie below every candidate
        // score, so the empirical CDFs are 0.75 apart at 0.34 (and nowhere further).
        await g.LogAsync(Champion, Enumerable.Range(0, 40).Select(i => 0.05 + i * 0.01));
        await g.LogAsync(Candidate, Enumerable.Range(0, 40).Select(i => 0.35 + i * 0.01));

        var verdict = await g.EvaluateAsync();

        Assert.False(verdict.Held);
        var check = Assert.Single(verdict.Checks);
        Assert.Equal("maxPredictionDrift", check.Name);
        Assert.Equal(0.75, check.Value!.Value, 1e-6);
        Assert.Equal("prediction drift (KS D vs v1) 0.75 > 0.2", verdict.Breaches);
    }

    [Fact]
    public async Task Candidate_scores_like_the_champions_hold_and_too_few_are_not_judged()
    {
        var g = await GuardAsync(new ReleaseGuardrails { MaxPredictionDrift = 0.2 });
        await g.LogAsync(Champion, Enumerable.Range(0, 40).Select(i => 0.05 + i * 0.01));
        await g.LogAsync(Candidate, Enumerable.Range(0, GuardrailEvaluator.MinDriftRows - 1).Select(i => 0.9 + i * 0.001));

        // 19 candidate scores, all far off: too few to judge.
        var early = await g.EvaluateAsync();
        Assert.True(early.Held);
        Assert.Null(early.Checks[0].Value);

        // A fresh model whose candidate interleaves with the champion (shifted by half a step): the CDFs differ by 1/40.
        var fresh = await GuardAsync(new ReleaseGuardrails { MaxPredictionDrift = 0.2 });
        await fresh.LogAsync(Champion, Enumerable.Range(0, 40).Select(i => 0.05 + i * 0.01));
        await fresh.LogAsync(Candidate, Enumerable.Range(0, 40).Select(i => 0.055 + i * 0.01));
        var held = await fresh.EvaluateAsync();
        Assert.True(held.Held, held.Breaches);
        Assert.Equal(1.0 / 40, held.Checks[0].Value!.Value, 1e-6);
    }

    private static async Task<Guard> GuardAsync(ReleaseGuardrails guardrails)
    {
        var storage = await RegistryFixture.StorageAsync();
        var tables = new TableServiceClient(Azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(LabelingQueue.TableName);
        return new Guard(storage, tables, Azurite.UniqueModel("guard"), guardrails);
    }

    /// <summary>One model with a release of v2 against champion v1 whose step began a minute ago.</summary>
    private sealed class Guard(PlatformStorage storage, TableServiceClient tables, string model, ReleaseGuardrails guardrails)
    {
        private readonly DateTimeOffset _stepStart = DateTimeOffset.UtcNow.AddMinutes(-1);
        private readonly PredictionLogReader _reader = new(storage);

        private ModelSpec Spec { get; } = new()
        {
            Task = ModelTask.Binary,
            Label = "y",
            Features = [new FeatureSpec("x", FeatureType.Numeric)],
            Release = new ReleaseSpec { Mode = ReleaseMode.Canary, Steps = [50, 100], Guardrails = guardrails },
        };

        /// <summary>Logs one binary prediction per score for <paramref name="version"/>, as predict does; their ids.</summary>
        public async Task<IReadOnlyList<string>> LogAsync(int version, IEnumerable<double> scores)
        {
            var log = new PredictionLog(storage, new LabelingQueue(tables), TimeProvider.System, Options.Create(new PredictionLogOptions()), NullLogger<PredictionLog>.Instance);
            var at = DateTimeOffset.UtcNow.AddSeconds(-30);
            var predictions = scores.Select(s => new Prediction(PredictionIds.New(at), s >= 0.5 ? "true" : "false", s, null)).ToList();
            var inputs = new TabularDataset([DataColumn.Float("x", predictions.Select(_ => 1f).ToArray())]);
            Assert.True(log.Offer(new PredictionLogEntry(model, version, ModelTask.Binary, $"req-{Guid.NewGuid():N}", at, inputs, predictions, null)));
            Assert.Equal(0, await log.DrainAsync(CancellationToken.None));
            return predictions.Select(p => p.Id).ToList();
        }

        /// <summary>Submits the observed label of each prediction through the feedback service.</summary>
        public async Task LabelAsync(IEnumerable<(string Id, bool Label)> labels)
        {
            var items = labels.Select(l => new FeedbackItem(l.Id, JsonSerializer.SerializeToElement(l.Label))).ToList();
            var result = await Feedback.SubmitAsync(model, Spec, items, CancellationToken.None);
            Assert.Equal(items.Count, result.Accepted);
        }

        public Task<GuardrailVerdict> EvaluateAsync()
        {
            var evaluator = new GuardrailEvaluator(storage, _reader, new LiveQualityCalculator(_reader, Feedback, TimeProvider.System), TimeProvider.System);
            var input = new ReleaseInput(model, "release-1", Candidate, Champion, Spec);
            return evaluator.EvaluateAsync(input, new ReleaseStep(50, false, _stepStart, []), CancellationToken.None);
        }

        private FeedbackService Feedback => new(storage, _reader, new LabelingQueue(tables), TimeProvider.System, Options.Create(new FeedbackOptions()));
    }
}
