using Microsoft.AspNetCore.Http;

namespace Serverless.App.WebConsole;

/// <summary>
/// A console file with the headers every response of the console carries: a CSP that allows only this origin's
/// scripts, styles and API calls (no inline script, no external origin), no sniffing, no framing, and revalidation by
/// ETag (the names are fixed so Easy Auth can exclude them; a new build changes the bytes, hence the tag): 304 when the
/// browser's copy is current.
/// </summary>
public sealed class ConsoleFileResult(ConsoleAsset asset) : IResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        ConsoleHeaders.Apply(response);
        if (httpContext.Request.Headers.IfNoneMatch.Any(t => t == asset.ETag || t == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted);
        }
    }
}
