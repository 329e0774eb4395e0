using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless.App.WebConsole;

/// <summary>
/// Serves the web console at <c>/console/</c> (anonymous: the page holds no data; it asks for a key, or with
/// <see cref="ConsoleSignIn.Entra"/> offers Easy Auth's sign-in). Unknown paths without an extension get the page
/// (index fallback for client routes).
/// </summary>
public static class ConsoleEndpoints
{
    public const string Path = "/console";

    /// <summary>The Functions trigger's route; Functions puts its route prefix (<c>api</c>) in front.</summary>
    public const string FunctionsRoute = "console/{*path}";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path + "/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path, HttpRequest request) => Serve(path, request))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The file at <paramref name="path"/> under the console, the page for client routes, else 404.</summary>
    public static IResult Serve(string? path, HttpRequest request)
    {
        path ??= string.Empty;
        if (path.Length == 0 && !request.Path.Value!.EndsWith('/'))
        {
            // The page's asset URLs are relative: they resolve under the folder only with the trailing slash.
            return TypedResults.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        }

        if (!ConsoleAssets.IsBuilt)
        {
            return Problem(request, StatusCodes.Status503ServiceUnavailable, "The console was not built", "This build ran without the console's web assets: run `npm ci` in the repository root, then build again.");
        }

        if (path.Length == 0 || path == ConsoleAssets.IndexFile || !System.IO.Path.HasExtension(path))
        {
            var signIn = request.HttpContext.RequestServices.GetService<IOptions<ConsoleOptions>>()?.Value.SignIn ?? ConsoleSignIn.Key;
            return new ConsoleFileResult(ConsoleAssets.Page(signIn)!);
        }

        return ConsoleAssets.Find(path) is { } asset
            ? new ConsoleFileResult(asset)
            : Problem(request, StatusCodes.Status404NotFound, "Not found", $"The console has no file '{path}'.");
    }

    private static IResult Problem(HttpRequest request, int status, string title, string detail)
    {
        ConsoleHeaders.Apply(request.HttpContext.Response);
        return TypedResults.Problem(detail, statusCode: status, title: title);
    }
}
