using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App;

/// <summary>
/// What an application service call came to: a value, or why not, in terms of the request (the HTTP layer maps each
/// case to its status and one RFC 7807 problem shape; other callers read the case).
/// </summary>
public abstract record Outcome<T>
{
    private Outcome()
    {
    }

    public sealed record Done(T Value) : Outcome<T>;

    /// <summary>The request's fault; <paramref name="Errors"/> lists every field error, not just the first.</summary>
    public sealed record Invalid(string Detail, IReadOnlyList<FieldError>? Errors = null) : Outcome<T>;

    public sealed record TooLarge(string Detail) : Outcome<T>;

    public sealed record NotFound(string Detail) : Outcome<T>;

    /// <summary>
    /// A model spec with problems: the one in the request (<paramref name="Stored"/> false), or the one stored, which a
    /// PUT of a corrected spec fixes (true).
    /// </summary>
    public sealed record InvalidSpec(string Detail, IReadOnlyList<SpecProblem> Problems, bool Stored) : Outcome<T>;

    /// <summary>The request is fine but lost to a concurrent change; nothing changed and a retry may succeed.</summary>
    public sealed record Conflict(string Title, string Detail) : Outcome<T>;

    /// <summary>A dependency (storage) cannot be reached and nothing cached can answer.</summary>
    public sealed record Unavailable(string Detail) : Outcome<T>;

    public static implicit operator Outcome<T>(T value) => new Done(value);

    /// <summary>The stored spec's problems: 409, fixed by a PUT of a corrected spec.</summary>
    public static Outcome<T> StoredSpecInvalid(InvalidModelSpecException e) =>
        new InvalidSpec($"The stored spec of '{e.Model}' has {e.Problems.Count} problem(s); PUT /{ApiRoutes.Prefix}/models/{e.Model} with a corrected spec.", e.Problems, Stored: true);
}
