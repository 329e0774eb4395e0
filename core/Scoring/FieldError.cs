namespace Serverless.Core.Scoring;

/// <summary>One problem in a predict request: row index (-1 for the body itself), field and what is wrong.</summary>
/// <param name="Rule">The data-contract rule it breaks (<see cref="Datasets.ContractRules"/>), as ingest reports it; null for request-shape errors.</param>
public sealed record FieldError(int Row, string Field, string Message, string? Rule = null);
