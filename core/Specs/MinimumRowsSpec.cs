namespace Serverless.Core.Specs;

/// <summary>
/// The least data a run may train and gate on. Below any of these the file is quarantined (reason
/// <c>too-little-data</c>) with the counts in the report, instead of registering a model fitted to noise.
/// </summary>
/// <param name="Total">Valid rows in the file.</param>
/// <param name="PerClass">Valid rows of each class (binary and multiclass only).</param>
/// <param name="Holdout">Rows the seeded holdout split must receive.</param>
/// <param name="HoldoutPerClass">Holdout rows of each class (binary and multiclass only).</param>
public sealed record MinimumRowsSpec(int Total = 100, int PerClass = 10, int Holdout = 20, int HoldoutPerClass = 2);
