namespace Serverless.Core.Datasets;

/// <summary>One invalid cell (or an unreadable row) in an uploaded file.</summary>
/// <param name="Row">1-based data row number (the header is not a row).</param>
/// <param name="Line">1-based physical line where the row starts in a CSV; 0 for Parquet.</param>
/// <param name="Column">Column name; empty when the whole row is unreadable.</param>
/// <param name="Rule">One of <see cref="ContractRules"/>.</param>
/// <param name="Value">The offending value (trimmed, at most 200 characters), or a short description for unreadable rows.</param>
/// <param name="Message">What was expected, in words (the same text predict returns for the same value).</param>
public sealed record RowProblem(long Row, int Line, string Column, string Rule, string? Value, string Message);
