using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Local.Tests;

/// <summary>The API's one error shape as tests read it: RFC 7807 problem details with field errors and spec problems as extensions.</summary>
public sealed record ProblemBody(string Title, int Status, string? Detail, IReadOnlyList<FieldError>? Errors, IReadOnlyList<SpecProblem>? Problems);
