using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Serverless.App.Http;

/// <summary>The stand-in for function keys on hosts that have none (local, scorer): every route but health needs the key.</summary>
public sealed class ApiKeyFilter(IOptions<ApiKeyOptions> options) : IEndpointFilter
{
    public const string Header = ApiKeyOptions.DefaultHeader;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var o = options.Value;
        if (o.Key.Length == 0)
        {
            return o.AllowWithoutKey
                ? next(context)
                : ValueTask.FromResult<object?>(TypedResults.Problem($"No API key is configured ({o.KeySetting}).", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        var given = context.HttpContext.Request.Headers[o.Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(o.Key)))
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem($"Missing or wrong '{o.Header}' header.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        return next(context);
    }
}
