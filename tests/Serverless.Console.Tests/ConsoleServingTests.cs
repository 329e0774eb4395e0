using System.Net;

namespace Serverless.Console.Tests;

/// <summary>The console's files as the local host serves them: anonymous, typed, revalidated by ETag, under a strict CSP.</summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleServingTests(ConsoleHost host)
{
    [Fact]
    public async Task The_page_and_its_assets_are_served_without_a_key_with_a_strict_csp_and_cache_headers()
    {
        var page = await host.Anonymous.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("http", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, """src="\./(assets/[^"]+\.js)""").Groups[1].Value;
        var style = System.Text.RegularExpressions.Regex.Match(html, """href="\./(assets/[^"]+\.css)""").Groups[1].Value;
        Assert.NotEmpty(script);
        Assert.NotEmpty(style);

        var js = await host.Anonymous.GetAsync("/console/" + script);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        // Fixed names (Easy Auth excludes them one by one), so revalidated by ETag: 304 while the bytes are the same.
        Assert.Equal("no-cache", js.Headers.CacheControl!.ToString());
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/console/" + script);
        revalidate.Headers.IfNoneMatch.Add(js.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Anonymous.SendAsync(revalidate)).StatusCode);
        var css = await host.Anonymous.GetAsync("/console/" + style);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        // Offline: nothing the page loads names another origin.
        Assert.DoesNotContain("https://", await css.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Client_routes_get_the_page_unknown_files_404_and_the_bare_path_redirects_to_the_folder()
    {
        var route = await host.Anonymous.GetAsync("/console/models/churn");
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Contains("<main", await route.Content.ReadAsStringAsync());

        var missing = await host.Anonymous.GetAsync("/console/assets/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);

        using var noRedirect = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.Host.Address };
        var bare = await noRedirect.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/console/", bare.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_api_behind_the_console_still_needs_a_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/models")).StatusCode);
    }
}
