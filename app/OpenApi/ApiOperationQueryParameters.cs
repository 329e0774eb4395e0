using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Serverless.App.OpenApi;

/// <summary>Optional query parameters from <see cref="QueryParameterAttribute"/>.</summary>
internal sealed class ApiOperationQueryParameters : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameterAttribute>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Description = query.Description,
                Schema = await context.GetOrCreateSchemaAsync(query.Type, null, cancellationToken),
            });
        }
    }
}
