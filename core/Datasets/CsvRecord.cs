namespace Serverless.Core.Datasets;

/// <summary>One materialized CSV record.</summary>
/// <param name="Fields">Field values, trimmed as described on <see cref="CsvReader"/>.</param>
/// <param name="Line">1-based physical line on which the record starts.</param>
/// <param name="IsMalformed">Unterminated quote or text after a closing quote.</param>
public readonly record struct CsvRecord(string[] Fields, int Line, bool IsMalformed);
