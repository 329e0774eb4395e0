using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;

namespace Serverless.Core.Tests.Specs;

/// <summary>Where a run trains: the spec's choice, else its estimated training memory against the activity's budget.</summary>
public sealed class TrainingRouterTests
{
    private static readonly TrainingRoutingOptions Defaults = new();

    [Fact]
    public void The_default_budget_is_a_share_of_the_flex_consumption_default_instance()
    {
        // 2048 MB (Flex Consumption's default instance memory) × 0.6.
        Assert.Equal((long)(2048L * 1024 * 1024 * 0.6), Defaults.ActivityBudgetBytes);
        Assert.Equal((long)(4096L * 1024 * 1024 * 0.6), new TrainingRoutingOptions { InstanceMemoryMb = 4096 }.ActivityBudgetBytes);
        Assert.Equal(1234, new TrainingRoutingOptions { InstanceMemoryMb = 4096, ActivityBudget = 1234 }.ActivityBudgetBytes);
    }

    [Fact]
    public void Auto_trains_small_data_in_the_activity_and_says_why()
    {
        var placement = TrainingRouter.Decide(new TrainerSpec(), 50_000, 11, Defaults);

        Assert.Equal(TrainingPlacement.Activity, placement.Where);
        Assert.False(placement.OnJob);
        Assert.Equal(50_000L * 11 * 100, placement.EstimatedBytes);
        Assert.Equal("50,000 rows × 11 columns ≈ 52 MiB ≤ 1.2 GiB budget", placement.Reason);
    }

    [Fact]
    public void Auto_sends_data_that_would_not_fit_the_instance_to_the_job_and_says_why()
    {
        var placement = TrainingRouter.Decide(new TrainerSpec(TrainerKind.FastTree, Compute: TrainerSpec.Auto), 10_000_000, 23, Defaults);

        Assert.Equal(TrainingPlacement.Job, placement.Where);
        Assert.True(placement.OnJob);
        Assert.Equal("10,000,000 rows × 23 columns ≈ 21.4 GiB > 1.2 GiB budget", placement.Reason);
        Assert.Equal("job: 10,000,000 rows × 23 columns ≈ 21.4 GiB > 1.2 GiB budget", placement.ToString());
    }

    [Theory]
    [InlineData(1_000, 2)]   // 1,000 × 2 × 40 = 80,000 bytes: above a 79,999 budget
    [InlineData(2_000, 1)]
    public void The_threshold_is_rows_times_columns_and_configurable(long rows, int columns)
    {
        Assert.True(TrainingRouter.Decide(new TrainerSpec(), rows, columns, new TrainingRoutingOptions { ActivityBudget = 79_999, BytesPerCell = 40 }).OnJob);
        Assert.False(TrainingRouter.Decide(new TrainerSpec(), rows, columns, new TrainingRoutingOptions { ActivityBudget = 80_000, BytesPerCell = 40 }).OnJob);
        Assert.True(TrainingRouter.Decide(new TrainerSpec(), rows, columns, new TrainingRoutingOptions { ActivityBudget = 80_000, BytesPerCell = 41 }).OnJob);
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm, "cpu", TrainingPlacement.Activity, "compute: cpu")]
    [InlineData(TrainerKind.Linear, "job", TrainingPlacement.Job, "compute: job")]
    [InlineData(TrainerKind.FastTree, "gpu", TrainingPlacement.Job, "compute: gpu")]
    [InlineData(TrainerKind.Mlp, "cpu", TrainingPlacement.Job, "trainer mlp trains on the trainer job")]
    [InlineData(TrainerKind.Mlp, null, TrainingPlacement.Job, "trainer mlp trains on the trainer job")]
    public void A_spec_that_names_the_place_gets_it_whatever_the_size(TrainerKind type, string? compute, string where, string reason)
    {
        foreach (var rows in new long[] { 10, 100_000_000 })
        {
            var placement = TrainingRouter.Decide(new TrainerSpec(type, Compute: compute), rows, 23, Defaults);
            Assert.Equal((where, reason), (placement.Where, placement.Reason));
        }
    }

    [Fact]
    public void Columns_are_the_features_and_the_label()
    {
        var spec = new ModelSpec { Task = ModelTask.Binary, Label = "y", Features = [new("a", FeatureType.Numeric), new("b", FeatureType.Categorical, Categories: ["x"])] };
        Assert.Equal(3, TrainingRouter.Columns(spec));
    }
}
