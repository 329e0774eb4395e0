namespace Serverless.Core.Datasets;

/// <summary>A problem with the file as a whole; it is quarantined regardless of row counts.</summary>
public sealed record FileProblem(string Rule, string Message);
