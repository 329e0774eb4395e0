using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.OpenApi;

/// <summary>
/// The documented shape of every error (<see cref="Http.Problems"/> writes it as RFC 7807 problem details): the
/// handlers build it with <c>TypedResults.Problem</c>, so this record only gives the document a typed schema.
/// </summary>
/// <param name="Errors">Every field error of the request (400).</param>
/// <param name="Problems">Every problem of a model spec (400 for the request's, 409 for the stored one).</param>
public sealed record ApiProblem(
    string? Type,
    string Title,
    int Status,
    string Detail,
    IReadOnlyList<FieldError>? Errors = null,
    IReadOnlyList<SpecProblem>? Problems = null);
