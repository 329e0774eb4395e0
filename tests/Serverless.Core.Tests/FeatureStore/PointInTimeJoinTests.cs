using System.Globalization;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.FeatureStore;

/// <summary>The sort-merge join against a brute-force oracle, and its edges one by one.</summary>
public sealed class PointInTimeJoinTests
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FeatureView View(TimeSpan ttl, params string[] entities) => new()
    {
        Name = "v", Entities = entities.Length == 0 ? ["id"] : entities, Owner = "o", Source = new("src", "ts"), Ttl = ttl,
        Features = [new("x", FeatureType.Numeric), new("c", FeatureType.Categorical)],
    };

    private static string Time(int minutes) => Origin.AddMinutes(minutes).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Random tables with few entities and few distinct minutes, so equal timestamps, rows exactly one TTL old, label
    /// entities with no feature rows and rows that arrive after later-timed ones (the source is in random order) all
    /// occur many times.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_join_equals_the_brute_force_oracle_on_random_data(int seed)
    {
        var random = new Random(seed);
        var ttlMinutes = random.Next(1, 20);
        var (featureRows, labelRows) = (random.Next(50, 400), random.Next(50, 600));
        var fKey = Enumerable.Range(0, featureRows).Select(_ => $"e{random.Next(15)}").ToArray();
        var fTime = Enumerable.Range(0, featureRows).Select(_ => random.Next(0, 60)).ToArray();
        var lKey = Enumerable.Range(0, labelRows).Select(_ => random.Next(10) == 0 ? null : $"e{random.Next(20)}").ToArray();
        var lTime = Enumerable.Range(0, labelRows).Select(_ => random.Next(-5, 80)).ToArray();
        var source = new TabularDataset(
        [
            DataColumn.Text("id", fKey),
            DataColumn.Text("ts", [.. fTime.Select(Time)]),
            DataColumn.Float("x", [.. Enumerable.Range(0, featureRows).Select(i => (float)i)]),
            DataColumn.Text("c", [.. Enumerable.Range(0, featureRows).Select(i => $"r{i}")]),
        ]);
        var labels = new TabularDataset(
        [
            DataColumn.Text("id", lKey),
            DataColumn.Text(FeatureViewReference.EventTimestampColumn, [.. lTime.Select(Time)]),
            DataColumn.Float("y", new float[labelRows]),
        ]);
        var view = View(TimeSpan.FromMinutes(ttlMinutes));

        var joined = TrainingSetBuilder.Build(labels, [new ViewSource(view, view.Features, source)]);

        for (var i = 0; i < labelRows; i++)
        {
            var expected = -1;
            for (var j = 0; j < featureRows; j++)
            {
                if (lKey[i] is null || fKey[j] != lKey[i] || fTime[j] > lTime[i] || lTime[i] - fTime[j] > ttlMinutes) continue;
                if (expected < 0 || fTime[j] > fTime[expected] || (fTime[j] == fTime[expected] && j > expected)) expected = j;
            }

            Assert.Equal(expected < 0 ? float.NaN : expected, joined["x"].FloatValues[i]);
            Assert.Equal(expected < 0 ? null : $"r{expected}", joined["c"].TextValues[i]);
        }

        Assert.Equal(labels.Columns.Select(c => c.Name).Concat(["x", "c"]), joined.Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_value_after_the_label_time_is_never_joined_and_the_ttl_edge_is_inclusive()
    {
        var source = Source(("a", 10, 1f), ("a", 20, 2f), ("a", 21, 3f));
        var labels = Labels(("a", 9), ("a", 10), ("a", 20), ("a", 26), ("a", 27), ("b", 20));
        var view = View(TimeSpan.FromMinutes(5));
        var x = TrainingSetBuilder.Build(labels, [new ViewSource(view, [view.Features[0]], source)])["x"].FloatValues;
        Assert.Equal([float.NaN, 1f, 2f, 3f, float.NaN, float.NaN], x);
    }

    [Fact]
    public void Of_equal_timestamps_the_row_written_last_wins_and_a_late_row_still_counts_at_its_own_time()
    {
        // Row 2 arrives after row 1 but happened before it: a label between the two sees it.
        var source = Source(("a", 10, 1f), ("a", 10, 2f), ("a", 30, 3f), ("a", 20, 4f));
        var labels = Labels(("a", 10), ("a", 25), ("a", 30));
        var view = View(TimeSpan.FromDays(1));
        Assert.Equal([2f, 4f, 3f], TrainingSetBuilder.Build(labels, [new ViewSource(view, [view.Features[0]], source)])["x"].FloatValues);
    }

    [Fact]
    public void Composite_and_numeric_keys_join_on_every_part()
    {
        var source = new TabularDataset(
        [
            DataColumn.Float("store", [1, 1, 2]), DataColumn.Text("sku", ["a", "b", "a"]), DataColumn.Text("ts", [Time(0), Time(0), Time(0)]),
            DataColumn.Float("x", [10, 20, 30]), DataColumn.Text("c", ["p", "q", "r"]),
        ]);
        var labels = new TabularDataset(
        [
            DataColumn.Float("store", [2, 1, 1, float.NaN]), DataColumn.Text("sku", ["a", "b", "c", "a"]),
            DataColumn.Text(FeatureViewReference.EventTimestampColumn, [Time(1), Time(1), Time(1), Time(1)]),
        ]);
        var view = View(TimeSpan.FromHours(1), "store", "sku");
        var joined = TrainingSetBuilder.Build(labels, [new ViewSource(view, view.Features, source)]);
        Assert.Equal([30f, 20f, float.NaN, float.NaN], joined["x"].FloatValues);
        Assert.Equal(new string?[] { "r", "q", null, null }.AsEnumerable(), joined["c"].TextValues.AsEnumerable());
    }

    [Fact]
    public void Unsorted_inputs_are_refused()
    {
        TimedKey[] sorted = [new(0, 1, 0), new(0, 2, 1)];
        TimedKey[] unsorted = [new(0, 2, 0), new(0, 1, 1)];
        Assert.Throws<ArgumentException>(() => PointInTimeJoin.Join(unsorted, sorted, TimeSpan.MaxValue).ToList());
        Assert.Throws<ArgumentException>(() => PointInTimeJoin.Join(sorted, [new(0, 0, 0), new(0, 2, 1), new(0, 1, 2)], TimeSpan.MaxValue).ToList());
    }

    [Fact]
    public void Unusable_data_is_a_clear_error_naming_the_column_and_row()
    {
        var view = View(TimeSpan.FromDays(1));
        var labels = Labels(("a", 1));
        var badTime = new TabularDataset([DataColumn.Text("id", ["a"]), DataColumn.Text("ts", ["yesterday"]), DataColumn.Float("x", [1]), DataColumn.Text("c", ["p"])]);
        Assert.Contains("row 1: 'yesterday' in 'ts'", Assert.Throws<FeatureJoinException>(() => TrainingSetBuilder.Build(labels, [new ViewSource(view, view.Features, badTime)])).Message, StringComparison.Ordinal);
        var noKey = new TabularDataset([DataColumn.Text("ts", [Time(0)]), DataColumn.Float("x", [1])]);
        Assert.Contains("no entity key column 'id'", Assert.Throws<FeatureJoinException>(() => TrainingSetBuilder.Build(labels, [new ViewSource(view, view.Features, noKey)])).Message, StringComparison.Ordinal);
        var wrongKind = new TabularDataset([DataColumn.Text("id", ["a"]), DataColumn.Text("ts", [Time(0)]), DataColumn.Text("x", ["1"]), DataColumn.Text("c", ["p"])]);
        Assert.Contains("its source column holds text", Assert.Throws<FeatureJoinException>(() => TrainingSetBuilder.Build(labels, [new ViewSource(view, view.Features, wrongKind)])).Message, StringComparison.Ordinal);
        var collision = new TabularDataset([DataColumn.Text("id", ["a"]), DataColumn.Text(FeatureViewReference.EventTimestampColumn, [Time(1)]), DataColumn.Float("x", [0])]);
        Assert.Contains("already a column", Assert.Throws<FeatureJoinException>(() => TrainingSetBuilder.Build(collision, [new ViewSource(view, view.Features, Source(("a", 0, 1f)))])).Message, StringComparison.Ordinal);
    }

    private static TabularDataset Source(params (string Key, int Minute, float X)[] rows) => new(
    [
        DataColumn.Text("id", [.. rows.Select(r => r.Key)]),
        DataColumn.Text("ts", [.. rows.Select(r => Time(r.Minute))]),
        DataColumn.Float("x", [.. rows.Select(r => r.X)]),
        DataColumn.Text("c", [.. rows.Select(r => r.X.ToString(CultureInfo.InvariantCulture))]),
    ]);

    private static TabularDataset Labels(params (string Key, int Minute)[] rows) => new(
    [
        DataColumn.Text("id", [.. rows.Select(r => r.Key)]),
        DataColumn.Text(FeatureViewReference.EventTimestampColumn, [.. rows.Select(r => Time(r.Minute))]),
    ]);
}
