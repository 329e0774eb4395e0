namespace Serverless.Core.Scoring;

/// <summary>One problem in a predict request: row index (-1 for the body itself), field and what is wrong.</summary>
public sealed record FieldError(int Row, string Field, string Message);
