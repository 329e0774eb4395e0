namespace Serverless.Core.Datasets;

/// <summary>Outcome of <see cref="DatasetContract.Validate"/>.</summary>
/// <param name="Data">The valid rows, typed; null when the file is quarantined.</param>
/// <param name="Report">What was found, accepted or not.</param>
/// <param name="Accepted">False when the file is quarantined.</param>
public sealed record ContractResult(TabularDataset? Data, ValidationReport Report, bool Accepted);
