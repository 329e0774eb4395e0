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
    /// Estimated peak training memory per cell (row × column) for the ML.NET trainers: the decoded dataset, its holdout
    /// split, ML.NET's featurized copy and LightGBM's binned dataset together. Measured by the bench's training area
    /// (1M rows × 23 columns, peak RSS of MlNetTrainer.Train over the process before it; bench/results/training.md).
    /// </summary>
    public double BytesPerCell { get; set; } = 40;

    /// <summary>The budget in bytes the decision compares against.</summary>
    public long ActivityBudgetBytes => ActivityBudget ?? (long)(InstanceMemoryMb * 1024L * 1024L * ActivityShare);
}
