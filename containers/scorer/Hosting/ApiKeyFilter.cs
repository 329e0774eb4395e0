using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Scorer.Hosting;

/// <summary>The scorer's stand-in for function keys (mirrors the local host's filter, with a configurable header).</summary>
public sealed class ApiKeyFilter(IOptions<ScorerOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var o = options.Value;
        if (o.ApiKey.Length == 0)
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem("The scorer has no API key configured (Scorer:ApiKey).", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        var given = context.HttpContext.Request.Headers[o.ApiKeyHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(o.ApiKey)))
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem($"Missing or wrong '{o.ApiKeyHeader}' header.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        return next(context);
    }
}
