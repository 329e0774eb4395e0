namespace Serverless.Core.Specs.Routing;

/// <summary>
/// Where a run trains and why, decided once at ingest (<see cref="TrainingRouter"/>) and shown in the run's status, its
/// result and the registered card.
/// </summary>
/// <param name="Where"><see cref="Activity"/> (in the pipeline's train activity) or <see cref="Job"/> (the trainer job, through its queue).</param>
/// <param name="Reason">Why, e.g. "10,000,000 rows × 22 columns ≈ 8.2 GiB > 1.2 GiB budget" or "compute: cpu".</param>
/// <param name="EstimatedBytes">Estimated training memory (rows × columns × bytes per cell); 0 when the spec chose the place.</param>
/// <param name="BudgetBytes">Training memory an activity may take on this host; 0 when the spec chose the place.</param>
public sealed record TrainingPlacement(string Where, string Reason, long EstimatedBytes = 0, long BudgetBytes = 0)
{
    public const string Activity = "activity";
    public const string Job = "job";

    public bool OnJob => Where == Job;

    public override string ToString() => $"{Where}: {Reason}";
}
