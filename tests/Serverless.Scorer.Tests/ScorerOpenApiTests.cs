using System.Net;
using System.Text.Json.Nodes;
using Serverless.App.OpenApi;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>Issue #16 part 1 on the GPU scorer: its own document, describing its scoring routes and nothing else.</summary>
[Collection(ScorerCollection.Name)]
public sealed class ScorerOpenApiTests(ScorerFixture fixture)
{
    [Fact]
    public async Task The_document_lists_exactly_the_routes_the_scorer_maps()
    {
        var response = await fixture.Anonymous.GetAsync(ApiDocument.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var mapped = ServedApiDocument.MappedRoutes(fixture.ScorerServices);
        var documented = ServedApiDocument.DocumentedRoutes(document);

        Assert.True(mapped.SetEquals(documented), ServedApiDocument.Difference(mapped, documented));
        Assert.Contains("POST /api/models/{model}/predict", documented);
        Assert.DoesNotContain("PUT /api/models/{model}", documented);
        Assert.Equal("scoring", (string?)document["paths"]!["/api/models/{model}/predict"]!["post"]!["x-api-role"]);
    }

    [Fact]
    public Task The_reference_page_is_served_offline() => ServedApiDocument.AssertReferencePageIsServedOfflineAsync(fixture.Anonymous);
}
