using System.Net;
using System.Text.Json.Nodes;
using Serverless.App.Http;
using Serverless.App.OpenApi;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Issue #16 part 1 on the local host: its document is the Functions app's and describes exactly its routes.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class OpenApiTests(LocalHostFixture host)
{
    [Fact]
    public async Task The_document_is_served_without_a_key_and_is_the_one_the_Functions_app_serves()
    {
        var response = await host.Anonymous.GetAsync(ApiDocument.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        var functions = JsonNode.Parse(await HostlessApiDocument.GenerateAsync(default));

        Assert.True(JsonNode.DeepEquals(served, functions), "The local host's document differs from the one the Functions app generates.");
    }

    [Fact]
    public async Task The_document_lists_exactly_the_routes_the_host_maps()
    {
        var document = JsonNode.Parse(await host.Anonymous.GetStringAsync(ApiDocument.Path))!;

        // Prometheus text for scrapers, not part of the JSON API (docs/api.md lists it).
        var mapped = ServedApiDocument.MappedRoutes(host.Services, "* /metrics");
        var documented = ServedApiDocument.DocumentedRoutes(document);

        Assert.True(mapped.SetEquals(documented), ServedApiDocument.Difference(mapped, documented));
    }

    [Fact]
    public Task The_reference_page_is_served_offline() => ServedApiDocument.AssertReferencePageIsServedOfflineAsync(host.Anonymous);
}
