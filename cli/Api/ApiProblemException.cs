using System.Net;
using System.Text.Json.Nodes;

namespace Serverless.Cli.Api;

/// <summary>
/// An error answer of the API, with its RFC 7807 problem details (title, detail, and the field errors or spec
/// problems); status 0 when no answer came at all.
/// </summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail, JsonObject? problem)
    : Exception($"{(status == 0 ? "" : $"{(int)status} ")}{title}{(detail is null ? "" : ": " + detail)}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The whole problem body (null when the answer was not problem details).</summary>
    public JsonObject? Problem { get; } = problem;

    /// <summary>The request's field errors (<c>errors</c>: row, field, message) and spec problems (<c>problems</c>: path, message), as lines.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var e in Problem?["errors"]?.AsArray() ?? [])
        {
            var row = e?["row"]?.GetValue<int>() is { } r and >= 0 ? $"row {r}: " : "";
            yield return $"{row}{e?["field"]}: {e?["message"]}";
        }

        foreach (var p in Problem?["problems"]?.AsArray() ?? [])
        {
            yield return $"{p?["path"]}: {p?["message"]}";
        }
    }
}
