using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.App.OpenApi;
using Serverless.App.WebConsole;

namespace Serverless.Functions.Tests;

/// <summary>
/// Issue #16 part 1 in Functions: the OpenAPI function serves the document <see cref="HostlessApiDocument"/> generates,
/// and that document describes exactly the HTTP functions the worker indexes (functions.metadata), so a trigger
/// added without a local host route, or the reverse, shows here too.
/// </summary>
public sealed partial class FunctionsOpenApiTests
{
    [Fact]
    public async Task The_document_describes_exactly_the_http_functions()
    {
        var prefix = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.OutputDirectory, "host.json"))["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();
        var triggers = FunctionsBuild.Functions.Values
            .Select(bindings => bindings.FirstOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
            .OfType<JsonNode>()
            .Where(t => t["route"]!.GetValue<string>() != ConsoleEndpoints.FunctionsRoute) // the console's pages, not the API
            .SelectMany(t => t["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToUpperInvariant()} /{prefix}/{Constraint().Replace(t["route"]!.GetValue<string>(), "{$1}")}"))
            .ToHashSet();

        var document = JsonNode.Parse(await HostlessApiDocument.GenerateAsync(default))!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key is "get" or "put" or "post" or "delete" or "patch").Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Append($"GET {ApiDocument.Path}") // the document's own route is not in it
            .ToHashSet();

        Assert.True(triggers.SetEquals(documented),
            $"HTTP functions not in the document: {string.Join(", ", triggers.Except(documented))}. In the document but no function: {string.Join(", ", documented.Except(triggers))}.");
    }

    [Fact]
    public async Task The_openapi_function_is_anonymous_and_answers_the_hostless_document()
    {
        var trigger = FunctionsBuild.Trigger("OpenApiDocument");
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>().ToLowerInvariant());
        Assert.Equal(ApiDocument.Route, trigger["route"]!.GetValue<string>());

        // The built function itself, called as the worker would, its IResult executed into a response.
        var functions = Assembly.LoadFrom(Path.Combine(FunctionsBuild.OutputDirectory, "Serverless.Functions.dll"));
        var run = functions.GetType("Serverless.Functions.Http.OpenApiFunction")!.GetMethod("Run")!;
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        using var body = new MemoryStream();
        http.Response.Body = body;
        var result = await (Task<IResult>)run.Invoke(null, [http.Request])!;
        await result.ExecuteAsync(http);

        Assert.Equal("application/json", new System.Net.Mime.ContentType(http.Response.ContentType!).MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body.ToArray()), JsonNode.Parse(await HostlessApiDocument.GenerateAsync(default))));
    }

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex Constraint();
}
