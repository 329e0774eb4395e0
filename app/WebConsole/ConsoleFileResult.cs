using Microsoft.AspNetCore.Http;

namespace Serverless.App.WebConsole;

/// <summary>
/// A console file with the headers every response of the console carries: a CSP that allows only this origin's
/// scripts, styles and API calls (no inline script, no external origin), no sniffing, no framing, and caching by
/// name (vite's hashed assets forever, the page itself revalidated so a new build is picked up).
/// </summary>
public sealed class ConsoleFileResult(ConsoleAsset asset, bool immutable) : IResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
        ConsoleHeaders.Apply(response);
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted);
        }
    }
}
