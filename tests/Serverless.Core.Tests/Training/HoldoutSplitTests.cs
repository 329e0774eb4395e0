using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Training;

public sealed class HoldoutSplitTests
{
    [Fact]
    public void Same_seed_gives_the_same_split()
    {
        var a = HoldoutSplit.Create(1000, new HoldoutSpec(0.2, 7));
        var b = HoldoutSplit.Create(1000, new HoldoutSpec(0.2, 7));

        Assert.Equal(a.HoldoutRows, b.HoldoutRows);
        Assert.Equal(a.TrainRows, b.TrainRows);
    }

    [Fact]
    public void Different_seed_gives_a_different_split()
    {
        var a = HoldoutSplit.Create(1000, new HoldoutSpec(0.2, 7));
        var b = HoldoutSplit.Create(1000, new HoldoutSpec(0.2, 8));

        Assert.NotEqual(a.HoldoutRows, b.HoldoutRows);
    }

    [Fact]
    public void Split_is_a_sorted_partition_of_the_requested_size()
    {
        var s = HoldoutSplit.Create(1000, new HoldoutSpec(0.25, 3));

        Assert.Equal(250, s.HoldoutRows.Length);
        Assert.Equal(Enumerable.Range(0, 1000), s.HoldoutRows.Concat(s.TrainRows).Order());
        Assert.Equal(s.HoldoutRows.Order(), s.HoldoutRows);
        Assert.Equal(s.TrainRows.Order(), s.TrainRows);
    }

    [Fact]
    public void Tiny_datasets_keep_a_row_on_each_side()
    {
        var s = HoldoutSplit.Create(3, new HoldoutSpec(0.01, 1));

        Assert.Single(s.HoldoutRows);
        Assert.Equal(2, s.TrainRows.Length);
    }

    [Theory]
    [InlineData(1, 0.2, 7)]
    [InlineData(3, 0.01, 1)]
    [InlineData(10_007, 0.25, 42)]
    public void The_holdout_rows_alone_are_the_splits_holdout(int rows, double fraction, int seed)
    {
        var spec = new HoldoutSpec(fraction, seed);

        Assert.Equal(HoldoutSplit.Create(rows, spec).HoldoutRows, HoldoutSplit.HoldoutRowsOf(rows, spec).Order());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Fraction_outside_open_unit_interval_is_rejected(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Create(10, new HoldoutSpec(fraction, 1)));
}
