namespace Serverless.Core.Specs.Routing;

/// <summary>
/// How <c>trainer.compute: auto</c> decides (configuration section <see cref="Section"/>): a run whose estimated training
/// memory exceeds <see cref="ActivityBudgetBytes"/> trains on the trainer job instead of in the pipeline's activity.
/// </summary>
public sealed class TrainingRoutingOptions
{
    public const string Section = "TrainingRouting";

    /// <summary>
    /// Memory of the instance the pipeline's activities run on. Default: Flex Consumption's default instance size,
    /// 2048 MB (the plan offers 2048 and 4096 MB instances: "instanceMemoryMB … Supported values are 2048, 4096",
    /// https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#instance-memory and the
    /// FunctionFlexConsumptionResourceConfiguration.InstanceMemoryMB reference; infra's flex-function-app.bicep defaults to 2048).
    /// Set 4096 where the app is deployed with the larger instances.
    /// </summary>
    public int InstanceMemoryMb { get; set; } = 2048;

    /// <summary>
    /// Share of <see cref="InstanceMemoryMb"/> training in an activity may take; the rest is the host itself (runtime,
    /// loaded assemblies, the scorer's champions, other executions on the same instance). 0.6 of 2048 MB ≈ 1.2 GB.
    /// </summary>
    public double ActivityShare { get; set; } = 0.6;

    /// <summary>An explicit budget in bytes, overriding <see cref="InstanceMemoryMb"/> × <see cref="ActivityShare"/>.</summary>
    public long? ActivityBudget { get; set; }

    /// <summary>
    /// Estimated peak training memory per cell (row × column) of the train step with the ML.NET trainers: the snapshot
    /// read back, its holdout split, ML.NET's featurized copy, LightGBM's binned dataset, the holdout scored in slices
    /// and the drift reference together. Measured: 100 bytes (1M rows × 23 columns, the train step's peak RSS 2.2 GB
    /// over the host's; bench/results/training.md), so a 2048 MB instance's 1.2 GiB budget holds about 12M cells
    /// (≈ 500k rows of 23 columns).
    /// </summary>
    public double BytesPerCell { get; set; } = 100;

    /// <summary>The budget in bytes the decision compares against.</summary>
    public long ActivityBudgetBytes => ActivityBudget ?? (long)(InstanceMemoryMb * 1024L * 1024L * ActivityShare);
}
