using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Serverless.App.OpenApi;

/// <summary>
/// <c>operationId</c> from the handler's name (<c>ScoringApi.Predict</c> → <c>predict</c>) and the tag from its area
/// (<c>ScoringApi</c> → <c>Scoring</c>) unless the route names its own, so a route added to an area is named and grouped without more code.
/// </summary>
internal sealed class ApiOperationNames : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault() is not { DeclaringType: { } area } handler)
        {
            return Task.CompletedTask;
        }

        operation.OperationId ??= char.ToLowerInvariant(handler.Name[0]) + handler.Name[1..];
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().Any()) return Task.CompletedTask;
        var tag = area.Name.EndsWith("Api", StringComparison.Ordinal) ? area.Name[..^3] : area.Name;
        operation.Tags = new HashSet<OpenApiTagReference> { new(tag, context.Document) };
        return Task.CompletedTask;
    }
}
