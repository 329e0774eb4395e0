using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Serverless.App.OpenApi;

/// <summary>Request bodies from <see cref="RequestBodyAttribute"/>: records as component schemas, raw files as binary strings.</summary>
internal sealed class ApiOperationBodies : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var bodies = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyAttribute>().ToList();
        if (bodies.Count == 0) return;

        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var body in bodies)
        {
            var schema = body.Type == typeof(byte[])
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
                : await ComponentAsync(body.Type, context, cancellationToken);
            foreach (var contentType in body.ContentTypes) content[contentType] = new OpenApiMediaType { Schema = schema };
        }

        operation.RequestBody = new OpenApiRequestBody { Required = bodies.Any(b => b.Required), Content = content };
    }

    /// <summary>A <c>$ref</c> to the type's schema under <c>components/schemas</c>, added there once.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
        var id = type.IsGenericType ? $"{type.GetGenericArguments()[0].Name}List" : type.Name;
        context.Document!.AddComponent(id, schema);
        return new OpenApiSchemaReference(id, context.Document);
    }
}
