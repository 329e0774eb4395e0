using Microsoft.AspNetCore.Http;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>
/// The API's one error shape: RFC 7807 problem details (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>), with
/// field errors as the extension <c>errors</c> (<c>{row, field, message}</c>) and spec problems as <c>problems</c>
/// (<c>{path, message}</c>).
/// </summary>
public static class Problems
{
    /// <summary>A value as 200 OK, or the outcome's problem.</summary>
    public static IResult Ok<T>(Outcome<T> outcome) => Map(outcome, v => TypedResults.Ok(v));

    public static IResult Map<T>(Outcome<T> outcome, Func<T, IResult> done) => outcome switch
    {
        Outcome<T>.Done d => done(d.Value),
        Outcome<T>.Invalid i => BadRequest(i.Detail, i.Errors),
        Outcome<T>.InvalidSpec s => InvalidSpec(s.Detail, s.Problems, s.Stored),
        Outcome<T>.TooLarge t => TooLarge(t.Detail),
        Outcome<T>.NotFound n => NotFound(n.Detail),
        Outcome<T>.Conflict c => Problem(StatusCodes.Status409Conflict, c.Title, c.Detail),
        Outcome<T>.Unavailable u => Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", u.Detail),
        _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}."),
    };

    public static IResult BadRequest(string detail, IReadOnlyList<FieldError>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", detail, errors is null ? null : new() { ["errors"] = errors });

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);

    /// <summary>400 for a spec in the request; 409 for the stored one (the request is fine, a PUT of a corrected spec fixes it).</summary>
    public static IResult InvalidSpec(string detail, IReadOnlyList<SpecProblem> problems, bool stored) =>
        Problem(stored ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, "Invalid model spec", detail, new() { ["problems"] = problems });

    public static IResult BadName(string model) => BadRequest($"Invalid model name '{Truncate(model)}': {ModelName.Rule}.");

    public static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private static IResult Problem(int status, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
}
