using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>
/// The role check in Functions. With App Service authentication (Easy Auth) on, the platform validates the Entra ID
/// token or session and injects the caller (<see cref="EasyAuthPrincipal"/>), whose app role must match the route.
/// Without the header the function key the host already checked is the credential (the documented fallback); which
/// key may call which route is then the key's scope (function keys on the scoring functions, host keys for admins).
/// </summary>
public static class EasyAuth
{
    public const string PrincipalHeader = EasyAuthPrincipal.Header;

    /// <summary>Caller name recorded for requests that came in on a function key.</summary>
    public const string FunctionKeyCaller = "function-key";

    /// <summary>Runs <paramref name="handler"/> if the caller may use a route of <paramref name="role"/>; 403 otherwise.</summary>
    public static async Task<IResult> RunAsync(HttpRequest request, ApiRole role, Func<Task<IResult>> handler)
    {
        var principal = EasyAuthPrincipal.Read(request);
        if (principal is null)
        {
            request.HttpContext.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, FunctionKeyCaller)], ApiCaller.KeyAuthentication));
            return await handler().ConfigureAwait(false);
        }

        request.HttpContext.User = principal;
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        return EasyAuthPrincipal.Refusal(request, principal, role, options) ?? await handler().ConfigureAwait(false);
    }
}
