using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Serverless.App.Http.Auth;

namespace Serverless.App.OpenApi;

/// <summary>
/// A route carrying <see cref="RequiresRole"/> accepts any of the <see cref="ApiSecuritySchemes"/>, names its role in
/// <c>x-api-role</c>, and can answer 401 (no or a wrong credential) and 403 (a valid one without the role).
/// </summary>
internal sealed class ApiOperationSecurity : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresRole>().LastOrDefault() is not { } role) return Task.CompletedTask;

        operation.Security =
        [
            .. new[] { ApiSecuritySchemes.ApiKey, ApiSecuritySchemes.FunctionKey, ApiSecuritySchemes.EntraId }
                .Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s, context.Document)] = [] }),
        ];
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-api-role"] = new JsonNodeExtension(JsonValue.Create(role.Role.ToString().ToLowerInvariant()));

        // Every role route also declares its own problem statuses, so the ApiProblem component exists.
        var problem = new OpenApiSchemaReference(nameof(ApiProblem), context.Document);
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", Problem("No credential, or a wrong one.", problem));
        operation.Responses.TryAdd("403", Problem($"A valid credential without the {role.Role.ToString().ToLowerInvariant()} role.", problem));
        return Task.CompletedTask;
    }

    private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ApiDocument.ProblemMediaType] = new() { Schema = schema } },
    };
}
