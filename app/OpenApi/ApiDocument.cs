using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Serverless.App.OpenApi;

/// <summary>
/// The platform API's OpenAPI 3.1 document (<c>GET /api/openapi.json</c>, anonymous like the spec schema) and its
/// interactive reference page (<c>/api/docs</c>, Scalar, whose script is served by the host itself: no CDN).
/// </summary>
public static class ApiDocument
{
    /// <summary>The document's name in <c>AddOpenApi</c>; the one name <c>MapOpenApi</c> serves without a route parameter.</summary>
    public const string Name = "v1";

    public const string Route = "openapi.json";

    public const string ReferenceRoute = "docs";

    public const string ProblemMediaType = "application/problem+json";

    public static string Path => $"/{ApiRoutes.Prefix}/{Route}";

    /// <summary>The document generator with the platform's transformers (titles, operation ids, tags, roles, examples).</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, o =>
        {
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            o.AddDocumentTransformer<ApiDocumentInfo>();
            o.AddOperationTransformer<ApiOperationNames>();
            o.AddOperationTransformer<ApiOperationBodies>();
            o.AddOperationTransformer<ApiOperationQueryParameters>();
            o.AddOperationTransformer<ApiOperationSecurity>();
            o.AddOperationTransformer<ApiOperationExamples>();
        });

    /// <summary>Maps <c>GET /api/openapi.json</c> (anonymous; not itself in the document).</summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Path);
        return app;
    }

    /// <summary>Maps the Scalar reference page at <c>/api/docs</c>, reading <c>/api/openapi.json</c>; its assets come from the package.</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference($"/{ApiRoutes.Prefix}/{ReferenceRoute}", o => o
            .WithTitle("Serverless MLOps API")
            .WithOpenApiRoutePattern(Path));
        return app;
    }
}
