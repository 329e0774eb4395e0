using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Monitoring.Live;

/// <summary>
/// Live quality over time from real logged predictions and labels on Azurite: which bucket a prediction lands in,
/// that a bucket's metrics are the holdout evaluator's on the same rows, and what a bucket without enough labels says.
/// </summary>
public sealed class LiveQualityHistoryTests
{
    private const double Tolerance = 1e-9;

    /// <summary>Three whole hours that ended at least an hour ago (labels for them are in the past, as feedback requires).</summary>
    private static readonly DateTimeOffset T0 = PredictionLogReader.Floor(DateTimeOffset.UtcNow).AddHours(-4);

    private static readonly LiveQualityRange ThreeHours = new(T0, T0.AddHours(3), TimeSpan.FromHours(1));

    [Fact]
    public async Task A_prediction_belongs_to_the_bucket_its_logged_time_falls_in_start_inclusive_end_exclusive()
    {
        var m = await ModelAsync(ModelTask.Binary);
        await m.LogAsync(1, T0.AddMilliseconds(-1), 0.9);               // before the range
        await m.LogAsync(1, T0, 0.9, 0.8);                              // first instant of bucket 0
        await m.LogAsync(1, T0.AddHours(1).AddMilliseconds(-1), 0.7);   // last millisecond of bucket 0
        await m.LogAsync(1, T0.AddHours(1), 0.6);                       // first instant of bucket 1
        await m.LogAsync(1, T0.AddHours(3), 0.9);                       // 'to' itself: outside

        var series = await m.SeriesAsync(ThreeHours, minLabels: 1);

        var v1 = Assert.Single(series.Versions);
        Assert.Equal([3L, 1L, 0L], v1.Buckets.Select(b => b.Logged));
        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2)], v1.Buckets.Select(b => b.From));
        Assert.Equal(T0.AddHours(3), v1.Buckets[^1].To);
        Assert.Equal(4, v1.Logged);

        // The empty bucket is there (a gap in the chart), with every metric null and no coverage.
        var empty = v1.Buckets[2];
        Assert.Equal(("no predictions logged", (double?)null), (empty.Unmeasured, empty.Coverage));
        Assert.Equal(MetricNames.For(ModelTask.Binary), empty.Metrics.Keys);
        Assert.All(empty.Metrics.Values, v => Assert.Null(v));
    }

    [Fact]
    public async Task A_buckets_metrics_are_the_holdout_evaluators_on_its_labeled_rows_and_an_unlabeled_bucket_has_none()
    {
        var m = await ModelAsync(ModelTask.Binary);
        var rng = new Random(7);
        var scores = Enumerable.Range(0, 40).Select(_ => Math.Round(rng.NextDouble(), 3)).ToArray();
        var truth = scores.Select(s => rng.NextDouble() < s).ToArray();
        var ids = await m.LogAsync(1, T0.AddMinutes(10), scores);
        await m.LogAsync(1, T0.AddMinutes(70), 0.4, 0.6, 0.7);
        // Labels arrive for the first hour's predictions only (the last five of them not yet).
        await m.LabelAsync(ids.Take(35).Select((id, i) => (id, truth[i] ? "true" : "false")));

        var series = await m.SeriesAsync(ThreeHours, minLabels: 10);

        var first = series.Versions[0].Buckets[0];
        Assert.Equal((40L, 35L, null), (first.Logged, first.Labeled, first.Unmeasured));
        Assert.Equal(35.0 / 40, first.Coverage!.Value, Tolerance);
        var expected = ModelEvaluator.Binary(
            truth.Take(35).Select(t => t ? 1f : 0f).ToList(),
            scores.Take(35).Select(s => new ModelOutputRow(s >= 0.5 ? "true" : "false", (float)s, null)).ToList());
        Assert.Equal(expected.Keys.Order(), first.Metrics.Keys.Order());
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, first.Metrics[name]!.Value, Tolerance);
        }

        var second = series.Versions[0].Buckets[1];
        Assert.Equal((3L, 0L, "no labels yet"), (second.Logged, second.Labeled, second.Unmeasured));
        Assert.Equal(0, second.Coverage!.Value, Tolerance);
        Assert.All(second.Metrics.Values, v => Assert.Null(v));
        Assert.Equal(35, series.Versions[0].Labeled);
    }

    [Fact]
    public async Task Too_few_labels_null_every_metric_and_one_class_nulls_auc_only_each_with_its_reason()
    {
        var m = await ModelAsync(ModelTask.Binary);
        var few = await m.LogAsync(1, T0.AddMinutes(5), 0.9, 0.8, 0.2);
        var oneClass = await m.LogAsync(1, T0.AddMinutes(65), Enumerable.Repeat(0.9, 9).Append(0.3).Append(0.2).Append(0.1).ToArray());
        await m.LabelAsync(few.Select(id => (id, "true")).Concat(oneClass.Select(id => (id, "true"))));

        var series = await m.SeriesAsync(ThreeHours, minLabels: 10);

        var (under, single) = (series.Versions[0].Buckets[0], series.Versions[0].Buckets[1]);
        Assert.Equal((3L, "3 labels, fewer than 10"), (under.Labeled, under.Unmeasured));
        Assert.All(under.Metrics.Values, v => Assert.Null(v));

        Assert.Equal(("auc needs both classes among the labels", (double?)null), (single.Unmeasured, single.Metrics[MetricNames.Auc]));
        Assert.Equal(9.0 / 12, single.Metrics[MetricNames.Accuracy]!.Value, Tolerance);
        Assert.Equal(1.0, single.Metrics[MetricNames.Precision]!.Value, Tolerance);
        Assert.Equal(10, series.MinLabels);
    }

    [Fact]
    public async Task Each_version_has_its_own_series_with_its_registered_holdout_metrics_as_reference()
    {
        var m = await ModelAsync(ModelTask.Regression);
        await m.RegisterAsync(new Dictionary<string, double> { [MetricNames.Rmse] = 1.5, [MetricNames.Mae] = 1.1, [MetricNames.RSquared] = 0.6 });
        await m.RegisterAsync(new Dictionary<string, double> { [MetricNames.Rmse] = 1.2, [MetricNames.Mae] = 0.9, [MetricNames.RSquared] = 0.7 });
        var v1 = await m.LogAsync(1, T0.AddMinutes(130), 10, 20);
        var v2 = await m.LogAsync(2, T0.AddMinutes(131), 12, 18, 30);
        await m.LabelAsync([(v1[0], "11"), (v1[1], "23"), (v2[0], "12"), (v2[1], "20"), (v2[2], "26")]);

        var series = await m.SeriesAsync(ThreeHours, minLabels: 2);

        Assert.Equal((ModelTask.Regression, 2), (series.Task, series.Versions.Count));
        var (one, two) = (series.Versions[0], series.Versions[1]);
        Assert.Equal((1, 1.5), (one.Version, one.Reference![MetricNames.Rmse]));
        Assert.Equal((2, 1.2), (two.Version, two.Reference![MetricNames.Rmse]));
        // v1: errors 1 and 3 → RMSE √5, MAE 2. v2: errors 0, 2, 4 → RMSE √(20/3), MAE 2.
        Assert.Equal(Math.Sqrt(5), one.Buckets[2].Metrics[MetricNames.Rmse]!.Value, 1e-6);
        Assert.Equal(2, one.Buckets[2].Metrics[MetricNames.Mae]!.Value, 1e-6);
        Assert.Equal(Math.Sqrt(20.0 / 3), two.Buckets[2].Metrics[MetricNames.Rmse]!.Value, 1e-6);
        Assert.Equal([0L, 0L, 3L], two.Buckets.Select(b => b.Labeled));
    }

    [Fact]
    public async Task A_multiclass_bucket_scores_log_loss_by_the_logged_class_order_as_the_holdout_does()
    {
        var m = await ModelAsync(ModelTask.Multiclass);
        var classes = new[] { "basic", "plus", "pro" };
        var rng = new Random(11);
        var probabilities = Enumerable.Range(0, 12).Select(_ =>
        {
            var raw = classes.Select(_ => rng.NextDouble() + 0.05).ToArray();
            return raw.Select(p => Math.Round(p / raw.Sum(), 3)).ToArray();
        }).ToList();
        var truth = Enumerable.Range(0, 12).Select(i => classes[(i * 7) % 3]).ToList();
        var ids = await m.LogMulticlassAsync(T0.AddMinutes(20), classes, probabilities);
        await m.LabelAsync(ids.Select((id, i) => (id, truth[i])));

        var series = await m.SeriesAsync(ThreeHours, minLabels: 10);

        var bucket = series.Versions[0].Buckets[0];
        var expected = ModelEvaluator.Multiclass(
            truth.Select(t => (string?)t).ToList(),
            probabilities.Select(p => new ModelOutputRow(classes[Array.IndexOf(p, p.Max())], null, p.Select(x => (float)x).ToArray())).ToList(),
            classes);
        Assert.Equal(MetricNames.For(ModelTask.Multiclass), bucket.Metrics.Keys);
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, bucket.Metrics[name]!.Value, 1e-6);
        }
    }

    [Fact]
    public void Buckets_count_the_partial_last_one_and_align_to_the_epoch()
    {
        var from = new DateTimeOffset(2026, 12, 7, 10, 20, 0, TimeSpan.Zero);
        var range = new LiveQualityRange(from, from.AddMinutes(150), TimeSpan.FromHours(1));
        Assert.Equal(3, range.BucketCount);
        Assert.Equal(from.AddMinutes(150), range.EndOf(2));
        Assert.Equal(-1, range.IndexOf(from.AddMinutes(150)));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), LiveQualityRange.Align(from, TimeSpan.FromHours(1)));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), LiveQualityRange.Align(from, TimeSpan.FromDays(1)));
    }

    private static async Task<Model> ModelAsync(ModelTask task)
    {
        var storage = await RegistryFixture.StorageAsync();
        var tables = new TableServiceClient(Azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(LabelingQueue.TableName);
        return new Model(storage, tables, Azurite.UniqueModel("livequality"), task);
    }

    /// <summary>One model's prediction log, labels and registry, written as predict, feedback and a run write them.</summary>
    private sealed class Model(PlatformStorage storage, TableServiceClient tables, string name, ModelTask task)
    {
        private readonly PredictionLogReader _reader = new(storage);
        private readonly ModelRegistry _registry = new(storage, TimeProvider.System);
        private int _runs;

        private ModelSpec Spec { get; } = new() { Task = task, Label = "y", Features = [new FeatureSpec("x", FeatureType.Numeric)] };

        private FeedbackService Feedback => new(storage, _reader, new LabelingQueue(tables), TimeProvider.System, Options.Create(new FeedbackOptions()));

        /// <summary>One predict request at <paramref name="at"/> scored <paramref name="scores"/> by <paramref name="version"/>; the ids.</summary>
        public async Task<IReadOnlyList<string>> LogAsync(int version, DateTimeOffset at, params double[] scores)
        {
            var log = new PredictionLog(storage, new LabelingQueue(tables), TimeProvider.System, Options.Create(new PredictionLogOptions()), NullLogger<PredictionLog>.Instance);
            var predictions = scores.Select(s => new Prediction(PredictionIds.New(at), task == ModelTask.Binary ? (s >= 0.5 ? "true" : "false") : null, s, null)).ToList();
            var inputs = new TabularDataset([DataColumn.Float("x", predictions.Select(_ => 1f).ToArray())]);
            Assert.True(log.Offer(new PredictionLogEntry(name, version, task, $"req-{Guid.NewGuid():N}", at, inputs, predictions, null)));
            Assert.Equal(0, await log.DrainAsync(CancellationToken.None));
            return predictions.Select(p => p.Id).ToList();
        }

        /// <summary>One multiclass predict request: each row's probabilities over <paramref name="classes"/>, the likeliest as its label.</summary>
        public async Task<IReadOnlyList<string>> LogMulticlassAsync(DateTimeOffset at, string[] classes, IReadOnlyList<double[]> probabilities)
        {
            var log = new PredictionLog(storage, new LabelingQueue(tables), TimeProvider.System, Options.Create(new PredictionLogOptions()), NullLogger<PredictionLog>.Instance);
            var predictions = probabilities.Select(p => new Prediction(PredictionIds.New(at), classes[Array.IndexOf(p, p.Max())], null,
                classes.Select((c, k) => (c, p[k])).ToDictionary(x => x.c, x => x.Item2))).ToList();
            var inputs = new TabularDataset([DataColumn.Float("x", predictions.Select(_ => 1f).ToArray())]);
            Assert.True(log.Offer(new PredictionLogEntry(name, 1, task, $"req-{Guid.NewGuid():N}", at, inputs, predictions, null)));
            Assert.Equal(0, await log.DrainAsync(CancellationToken.None));
            return predictions.Select(p => p.Id).ToList();
        }

        public async Task LabelAsync(IEnumerable<(string Id, string Label)> labels)
        {
            var items = labels.Select(l => new FeedbackItem(l.Id, task switch
            {
                ModelTask.Binary => JsonSerializer.SerializeToElement(l.Label == "true"),
                ModelTask.Regression => JsonSerializer.SerializeToElement(double.Parse(l.Label, CultureInfo.InvariantCulture)),
                _ => JsonSerializer.SerializeToElement(l.Label),
            })).ToList();
            var result = await Feedback.SubmitAsync(name, Spec, items, CancellationToken.None);
            Assert.Equal(items.Count, result.Accepted);
        }

        public Task<int> RegisterAsync(IReadOnlyDictionary<string, double> metrics) =>
            _registry.RegisterAsync(RegistryFixture.Card(name, $"run-{++_runs}", task) with { Metrics = metrics }, [1, 2, 3], CancellationToken.None);

        public Task<LiveQualitySeries> SeriesAsync(LiveQualityRange range, int minLabels) =>
            new LiveQualityHistory(_reader, Feedback, _registry).ComputeAsync(name, Spec, range, minLabels, CancellationToken.None);
    }
}
