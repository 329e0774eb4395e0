using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Specs.Routing;

/// <summary>
/// Decides where a run trains (<see cref="TrainingPlacement"/>). The spec can choose (<c>trainer.compute</c> cpu: the
/// activity; job or gpu: the trainer job; an mlp always trains on the job); otherwise (<c>auto</c>, the default) a run
/// whose estimated training memory — rows × columns × <see cref="TrainingRoutingOptions.BytesPerCell"/> — would not fit
/// the activity's budget goes to the job, which is sized for it, and small data trains in the activity, which saves the
/// job's start-up.
/// </summary>
public static class TrainingRouter
{
    public static TrainingPlacement Decide(TrainerSpec trainer, long rows, int columns, TrainingRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(options);
        if (trainer.Type == TrainerKind.Mlp)
        {
            return new(TrainingPlacement.Job, "trainer mlp trains on the trainer job");
        }

        switch (trainer.Compute)
        {
            case TrainerSpec.Cpu:
                return new(TrainingPlacement.Activity, $"compute: {TrainerSpec.Cpu}");
            case TrainerSpec.Job or TrainerSpec.Gpu:
                return new(TrainingPlacement.Job, $"compute: {trainer.Compute}");
        }

        var estimated = (long)Math.Min(long.MaxValue, Math.Ceiling((double)rows * columns * options.BytesPerCell));
        var budget = options.ActivityBudgetBytes;
        var size = string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows × {columns} columns ≈ {Bytes(estimated)}");
        return estimated > budget
            ? new(TrainingPlacement.Job, $"{size} > {Bytes(budget)} budget", estimated, budget)
            : new(TrainingPlacement.Activity, $"{size} ≤ {Bytes(budget)} budget", estimated, budget);
    }

    /// <summary>The columns training holds: every feature and the label.</summary>
    public static int Columns(ModelSpec spec) => spec.Features.Count + 1;

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
