namespace Serverless.Core.Specs;

/// <summary>One thing wrong with a model spec.</summary>
/// <param name="Path">JSON path of the offending element, e.g. <c>$.features[2].name</c>.</param>
/// <param name="Message">What is wrong, for a person to read.</param>
public sealed record SpecProblem(string Path, string Message);
