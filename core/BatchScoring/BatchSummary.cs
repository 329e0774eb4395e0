namespace Serverless.Core.BatchScoring;

/// <summary>
/// A finished batch: every input row is either in <see cref="Results"/> or in <see cref="Errors"/>
/// (<see cref="RowsIn"/> = <see cref="RowsOut"/> + <see cref="RowsWithErrors"/>).
/// </summary>
public sealed record BatchSummary(
    string BatchId,
    string Model,
    int? Version,
    string Input,
    string Status,
    string? Results,
    string? Errors,
    long RowsIn,
    long RowsOut,
    long RowsWithErrors,
    string? Problem,
    DateTimeOffset FinishedAt)
{
    public const string Succeeded = "succeeded";
    public const string Refused = "refused";
}
