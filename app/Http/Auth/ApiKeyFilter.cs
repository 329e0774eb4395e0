using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Serverless.App.Http.Auth;

/// <summary>
/// The role check on hosts without function keys (local, scorer). A route's <see cref="RequiresRole"/> names the role
/// (scoring when absent). A caller already authenticated by the host (the scorer's Entra ID bearer tokens) needs the
/// matching app role in its <c>roles</c> claim; otherwise the <c>x-api-key</c> header must hold the admin key (any
/// route) or the scoring key (scoring routes). No or a wrong credential: 401; a valid one without the role: 403.
/// </summary>
public sealed class ApiKeyFilter(IOptions<ApiKeyOptions> options) : IEndpointFilter
{
    public const string Header = ApiKeyOptions.DefaultHeader;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiresRole>()?.Role ?? ApiRole.Scoring;
        var granted = Authenticate(http, options.Value, out var failure);
        if (granted is null)
        {
            // A validated token without either app role is known but not allowed: 403, not a credential problem.
            return http.User.Identity is { IsAuthenticated: true }
                ? Deny(failure!, StatusCodes.Status403Forbidden, "Forbidden")
                : Deny(failure!, StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        if (granted < required)
        {
            return Deny($"This route needs the {ApiCaller.Name(required)} role; the credential grants {ApiCaller.Name(granted.Value)}.", StatusCodes.Status403Forbidden, "Forbidden");
        }

        return next(context);
    }

    /// <summary>The role the request's credential grants (setting <see cref="HttpContext.User"/> for a key), or null with the reason.</summary>
    public static ApiRole? Authenticate(HttpContext http, ApiKeyOptions o, out string? failure)
    {
        failure = null;
        if (http.User.Identity is { IsAuthenticated: true })
        {
            if (http.User.IsInRole(o.AdminAppRole)) return ApiRole.Admin;
            if (http.User.IsInRole(o.ScoringAppRole)) return ApiRole.Scoring;
            failure = $"The token carries neither app role '{o.ScoringAppRole}' nor '{o.AdminAppRole}'.";
            return null;
        }

        if (o.ScoringKey.Length == 0 && o.AdminKey.Length == 0)
        {
            if (o.AllowWithoutKey) return ApiRole.Admin;
            failure = $"No API key is configured ({o.KeySetting}).";
            return null;
        }

        var given = Encoding.UTF8.GetBytes(http.Request.Headers[o.Header].ToString());
        var role = Matches(given, o.AdminKey) ? ApiRole.Admin : Matches(given, o.ScoringKey) ? ApiRole.Scoring : (ApiRole?)null;
        if (role is null)
        {
            failure = $"Missing or wrong '{o.Header}' header.";
            return null;
        }

        http.User = ApiCaller.ForKey(role.Value);
        return role;
    }

    private static bool Matches(byte[] given, string key) =>
        key.Length > 0 && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(key));

    private static ValueTask<object?> Deny(string detail, int status, string title) =>
        ValueTask.FromResult<object?>(TypedResults.Problem(detail, statusCode: status, title: title));
}
