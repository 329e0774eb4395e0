using Microsoft.AspNetCore.Http;

namespace Serverless.App.WebConsole;

/// <summary>Security headers on every console response, files and errors alike.</summary>
public static class ConsoleHeaders
{
    public static void Apply(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ConsoleFileResult.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
