using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;
using Serverless.Core;

namespace Serverless.App.Http;

/// <summary>
/// The platform API's document for a host that maps no ASP.NET Core endpoints (the Functions worker: its routes are
/// triggers, which the OpenAPI generator cannot see). It maps <see cref="PlatformEndpoints"/> into an app that never
/// listens and runs that app's <c>/api/openapi.json</c> endpoint in memory, so the document is the local host's,
/// built by the same generator from the same handlers, not a copy that could drift.
/// </summary>
public static class HostlessApiDocument
{
    private static readonly Lazy<Task<string>> Document = new(() => GenerateAsync(CancellationToken.None));

    /// <summary>Generated once per process, on first use.</summary>
    public static Task<string> GetAsync() => Document.Value;

    public static async Task<string> GenerateAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.Configure<JsonOptions>(j => PlatformJson.Apply(j.SerializerOptions));
        builder.Services.AddApiDocument();
        await using var app = builder.Build();
        app.MapPlatformApi<ApiKeyFilter>();
        // What starting would do: hand the mapped endpoints to routing, where the API explorer reads them.
        app.UseRouting();
        app.UseEndpoints(_ => { });

        var endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == ApiDocument.Path);
        using var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = app.Services, RequestAborted = ct };
        (http.Request.Method, http.Request.Path, http.Response.Body) = (HttpMethods.Get, ApiDocument.Path, body);
        await endpoint.RequestDelegate!(http).ConfigureAwait(false);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
