using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Tests.Shared;

/// <summary>What a running host maps against what its <c>/api/openapi.json</c> describes, and its reference page.</summary>
public static partial class ServedApiDocument
{
    /// <summary>
    /// "METHOD /route" of every endpoint the host maps (route constraints dropped, as OpenAPI paths have none), less
    /// those marked ExcludeFromDescription (the document itself, the reference page) and <paramref name="notApi"/>.
    /// </summary>
    public static HashSet<string> MappedRoutes(IServiceProvider services, params string[] notApi) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Constraint().Replace(e.RoutePattern.RawText!, "{$1}")}"))
            .Where(r => !notApi.Contains(r))];

    public static HashSet<string> DocumentedRoutes(JsonNode document) =>
        [.. document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "put" or "post" or "delete" or "patch")
            .Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))];

    public static string Difference(HashSet<string> mapped, HashSet<string> documented) =>
        $"Mapped but not in the document: {string.Join(", ", mapped.Except(documented))}. In the document but not mapped: {string.Join(", ", documented.Except(mapped))}.";

    /// <summary>The Scalar page loads, and every script it names is served by the host itself (no CDN: it works offline).</summary>
    public static async Task AssertReferencePageIsServedOfflineAsync(HttpClient anonymous)
    {
        var page = await anonymous.GetAsync("/api/docs");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi.json", StringComparison.Ordinal), html);

        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        var largest = 0;
        foreach (var src in scripts)
        {
            Assert.False(src.Contains("//", StringComparison.Ordinal), $"The reference page loads {src} from elsewhere.");
            var script = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, src));
            Assert.True(script.IsSuccessStatusCode, $"{src}: {(int)script.StatusCode}");
            largest = Math.Max(largest, (await script.Content.ReadAsByteArrayAsync()).Length);
        }

        Assert.True(largest > 100_000, $"None of {string.Join(", ", scripts)} is the Scalar bundle.");
    }

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("""<script[^>]*\ssrc="([^"]+)"[^>]*>""")]
    private static partial Regex ScriptSource();
}
