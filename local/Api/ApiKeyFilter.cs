using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Local.Hosting;

namespace Serverless.Local.Api;

/// <summary>The local host's stand-in for function keys: every route but health needs <c>x-api-key</c>.</summary>
public sealed class ApiKeyFilter(IOptions<LocalHostOptions> options) : IEndpointFilter
{
    public const string Header = "x-api-key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.ApiKey;
        if (expected.Length == 0)
        {
            return next(context);
        }

        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem($"Missing or wrong '{Header}' header.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        return next(context);
    }
}
