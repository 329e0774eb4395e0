using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Serverless.Core;

namespace Serverless.App.OpenApi;

/// <summary>
/// Title, version, the security schemes every host may use, and no <c>servers</c>: the document is the same wherever
/// it is served (local host, Functions), and clients resolve its paths against the URL they fetched it from.
/// </summary>
internal sealed class ApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Serverless MLOps API",
            Version = PlatformInfo.Version,
            Description = "Train, register, promote and serve ML.NET models (ONNX). Errors are RFC 7807 problem details "
                + "(`application/problem+json`) with field errors in `errors` and spec problems in `problems`. Routes need the "
                + "scoring or the admin role (`x-api-role`); admin includes scoring.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = ApiSecuritySchemes.All();
        return Task.CompletedTask;
    }
}
