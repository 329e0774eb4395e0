using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Tests.Training.Sweeps;

public sealed class AshaScheduleTests
{
    [Fact]
    public void Rungs_multiply_the_trees_up_to_the_trainers_number()
    {
        Assert.Equal([12, 36, 100], AshaSchedule.Resources(12, 100, 3));
        Assert.Equal([10, 20, 40, 80, 100], AshaSchedule.Resources(10, 100, 2));
        Assert.Equal([25, 100], AshaSchedule.Resources(25, 100, 4));
        Assert.Equal([100], AshaSchedule.Resources(100, 100, 3));
    }

    [Fact]
    public void The_best_third_is_promoted_by_direction_with_ties_to_the_lower_trial()
    {
        // Nine trials in rung 0; η = 3 keeps three.
        double?[] metrics = [0.70, 0.91, 0.65, 0.88, null, 0.91, 0.50, 0.80, 0.90];
        var rung = metrics.Select((m, i) => new TrialScore(i, 0, m, 1)).ToList();

        // Maximize: 0.91 (trials 1 and 5, a tie kept in trial order), then 0.90 (trial 8).
        Assert.Equal([1, 5, 8], AshaSchedule.Promote(rung, 9, 3, maximize: true));

        // Minimize: 0.50, 0.65, 0.70; the failed trial (null) is never promoted.
        Assert.Equal([0, 2, 6], AshaSchedule.Promote(rung, 9, 3, maximize: false));
    }

    [Fact]
    public void A_rung_keeps_at_least_one_and_never_a_trial_without_a_metric()
    {
        Assert.Equal(1, AshaSchedule.Keep(2, 3));
        Assert.Equal(3, AshaSchedule.Keep(11, 3));
        Assert.Equal([1], AshaSchedule.Promote([new TrialScore(0, 1, null, 1, "boom"), new TrialScore(1, 1, 0.5, 1), new TrialScore(2, 1, double.NaN, 1)], 3, 2, maximize: true));
        Assert.Empty(AshaSchedule.Promote([new TrialScore(0, 0, null, 1, "boom")], 1, 3, maximize: true));
    }
}
