using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless.App;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;
using Serverless.Core.Specs;

namespace Serverless.App.Tests.OpenApi;

/// <summary>
/// Issue #16 part 1: the platform API's OpenAPI document (the one the local host and Functions serve) describes every
/// route <see cref="PlatformEndpoints"/> maps, each fully, and is a valid OpenAPI 3.1 document. Failure messages list
/// the routes at fault, so a route added without its metadata names itself.
/// </summary>
public sealed class ApiDocumentTests
{
    private static readonly Lazy<JsonObject> Document = new(() => JsonNode.Parse(HostlessApiDocument.GenerateAsync(CancellationToken.None).GetAwaiter().GetResult())!.AsObject());

    private static readonly string[] ProblemStatuses = ["400", "404", "409", "413"];

    [Fact]
    public void The_document_is_OpenAPI_3_1_and_validates_against_the_official_schema()
    {
        Assert.StartsWith("3.1.", (string)Document.Value["openapi"]!, StringComparison.Ordinal);
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "OpenApi", "Reference", "openapi-3.1.schema.json"));

        var result = schema.Evaluate(Document.Value, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join('\n', result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_official_schema_rejects_a_broken_document()
    {
        // Guards the check above: a schema that accepted anything would pass it too.
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "OpenApi", "Reference", "openapi-3.1.schema.json"));
        var broken = Document.Value.DeepClone().AsObject();
        broken["paths"]!.AsObject().First().Value!.AsObject().First().Value!["responses"] = "none";

        Assert.False(schema.Evaluate(broken).IsValid);
    }

    [Fact]
    public void The_document_lists_exactly_the_routes_the_platform_maps()
    {
        var mapped = MappedRoutes().Where(r => r != $"GET {ApiDocument.Path}").ToHashSet();
        var documented = Operations().Select(o => o.Route).ToHashSet();

        Assert.True(mapped.SetEquals(documented),
            $"Missing from the document: {string.Join(", ", mapped.Except(documented))}. In the document but not mapped: {string.Join(", ", documented.Except(mapped))}.");
    }

    [Fact]
    public void Every_operation_has_a_summary_a_unique_operation_id_a_tag_and_a_success_response()
    {
        var operations = Operations();
        var faults = operations
            .Select(o => (o.Route, Faults: new[]
            {
                string.IsNullOrWhiteSpace((string?)o.Operation["summary"]) ? "summary ([EndpointSummary])" : null,
                string.IsNullOrWhiteSpace((string?)o.Operation["operationId"]) ? "operationId" : null,
                o.Operation["tags"] is JsonArray { Count: > 0 } ? null : "tags",
                Responses(o.Operation).Any(r => r.Status.StartsWith('2') && (r.Status == "204" || r.Response["content"] is JsonObject { Count: > 0 })) ? null : "a typed 2xx response ([ProducesResponseType<T>])",
            }.OfType<string>().ToList()))
            .Where(f => f.Faults.Count > 0)
            .Select(f => $"{f.Route}: {string.Join(", ", f.Faults)}")
            .ToList();
        Assert.True(faults.Count == 0, "Operations lacking metadata:\n" + string.Join('\n', faults));

        var duplicates = operations.GroupBy(o => (string?)o.Operation["operationId"]).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(o => o.Route))}").ToList();
        Assert.True(duplicates.Count == 0, "Duplicate operationIds:\n" + string.Join('\n', duplicates));
    }

    [Fact]
    public void Every_operation_documents_the_problems_it_can_answer()
    {
        var faults = new List<string>();
        foreach (var (route, operation) in Operations())
        {
            var statuses = Responses(operation).ToDictionary(r => r.Status, r => r.Response);
            var role = (string?)operation["x-api-role"];
            List<string> expected = [];
            if (role is not null) expected.AddRange(["401", "403"]);
            if (operation["parameters"] is JsonArray parameters && parameters.Any(p => (string?)p!["in"] == "path")) expected.Add(statuses.ContainsKey("404") ? "404" : "400");
            if (operation["requestBody"] is not null) expected.AddRange(["400", "413"]);

            var missing = expected.Distinct().Where(s => !statuses.ContainsKey(s)).ToList();
            var notProblems = statuses.Where(s => (ProblemStatuses.Contains(s.Key) || s.Key is "401" or "403") && s.Value["content"]?[ApiDocument.ProblemMediaType]?["schema"] is null).Select(s => s.Key).ToList();
            if (missing.Count > 0) faults.Add($"{route}: no {string.Join(", ", missing)} response ([ProblemResponse(…)])");
            if (notProblems.Count > 0) faults.Add($"{route}: {string.Join(", ", notProblems)} not {ApiDocument.ProblemMediaType}");
        }

        Assert.True(faults.Count == 0, "Operations lacking problem responses:\n" + string.Join('\n', faults));
    }

    [Fact]
    public void Routes_with_a_role_accept_every_host_s_credentials_and_anonymous_routes_none()
    {
        var schemes = Document.Value["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("x-api-key", (string)schemes["apiKey"]!["name"]!);
        Assert.Equal("x-functions-key", (string)schemes["functionKey"]!["name"]!);
        Assert.Equal("bearer", (string)schemes["entraId"]!["scheme"]!);

        var roles = MappedRoles();
        foreach (var (route, operation) in Operations())
        {
            var role = roles[route];
            Assert.True(role?.ToString().ToLowerInvariant() == (string?)operation["x-api-role"], $"{route}: x-api-role {(string?)operation["x-api-role"]}, mapped with {role}");
            var security = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)).Order().ToList() ?? [];
            Assert.Equal(role is null ? [] : ["apiKey", "entraId", "functionKey"], security);
        }
    }

    [Fact]
    public void The_main_bodies_have_examples_and_the_spec_example_is_a_valid_spec()
    {
        var operations = Operations().ToDictionary(o => (string)o.Operation["operationId"]!, o => o.Operation);
        foreach (var id in new[] { "predict", "explain", "submitFeedback", "putSpec" })
        {
            Assert.True(operations[id]["requestBody"]?["content"]?["application/json"]?["example"] is not null, $"{id} has no request example");
        }

        var specExample = operations["putSpec"]["requestBody"]!["content"]!["application/json"]!["example"]!;
        var result = JsonSchema.FromText(ModelSpecSchema.Text).Evaluate(specExample, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join('\n', result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void Predict_documents_its_request_and_response_records()
    {
        var predict = Operations().Single(o => o.Route == $"POST /{ApiRoutes.Prefix}/models/{{model}}/predict").Operation;
        var schemas = Document.Value["components"]!["schemas"]!.AsObject();

        Assert.Equal("#/components/schemas/PredictRequest", (string)predict["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        Assert.Equal("#/components/schemas/PredictResponse", (string)predict["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        Assert.Contains("rows", schemas["PredictRequest"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("predictions", schemas["PredictResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("errors", schemas["ApiProblem"]!["properties"]!.AsObject().Select(p => p.Key));

        // A query parameter the handler reads itself is documented too, typed.
        var explain = Assert.Single(predict["parameters"]!.AsArray(), p => (string?)p!["name"] == "explain")!;
        Assert.Equal("query", (string?)explain["in"]);
        Assert.Equal("boolean", (string?)explain["schema"]!["type"]);
    }

    /// <summary>"METHOD /api/route" of every operation in the document.</summary>
    private static List<(string Route, JsonObject Operation)> Operations() =>
        [.. Document.Value["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "put" or "post" or "delete" or "patch")
            .Select(m => ($"{m.Key.ToUpperInvariant()} {p.Key}", m.Value!.AsObject())))];

    private static IEnumerable<(string Status, JsonObject Response)> Responses(JsonObject operation) =>
        operation["responses"]?.AsObject().Select(r => (r.Key, r.Value!.AsObject())) ?? [];

    /// <summary>"METHOD /api/route" of every endpoint <see cref="PlatformEndpoints"/> maps, route constraints dropped as OpenAPI does.</summary>
    private static IEnumerable<string> MappedRoutes() => MappedRoles().Keys;

    private static Dictionary<string, ApiRole?> MappedRoles()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapPlatformApi<ApiKeyFilter>();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods
                .Select(m => (Key: $"{m} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, @"\{(\w+):[^}]+\}", "{$1}")}", e.Metadata.GetMetadata<RequiresRole>()?.Role)))
            .ToDictionary(e => e.Key, e => e.Role);
    }
}
