using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>
/// The role check in Functions. With App Service authentication (Easy Auth) on, the platform validates the Entra ID
/// token and injects <c>X-MS-CLIENT-PRINCIPAL</c> (Base64 JSON <c>{auth_typ, claims:[{typ, val}], name_typ, role_typ}</c>);
/// external requests cannot set that header (learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
/// Easy Auth authenticates but does not know our routes, so the app role is checked here. Without the header the
/// function key the host already checked is the credential (the documented fallback); which key may call which
/// route is then the key's scope (function keys on the scoring functions, host keys for admins).
/// </summary>
public static class EasyAuth
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Caller name recorded for requests that came in on a function key.</summary>
    public const string FunctionKeyCaller = "function-key";

    /// <summary>Runs <paramref name="handler"/> if the caller may use a route of <paramref name="role"/>; 403 otherwise.</summary>
    public static async Task<IResult> RunAsync(HttpRequest request, ApiRole role, Func<Task<IResult>> handler)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        var principal = Read(request);
        if (principal is null)
        {
            request.HttpContext.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, FunctionKeyCaller)], ApiCaller.KeyAuthentication));
            return await handler().ConfigureAwait(false);
        }

        request.HttpContext.User = principal;
        var granted = principal.IsInRole(options.AdminAppRole) ? ApiRole.Admin : principal.IsInRole(options.ScoringAppRole) ? ApiRole.Scoring : (ApiRole?)null;
        if (granted is null || granted < role)
        {
            return TypedResults.Problem($"This route needs the app role '{(role == ApiRole.Admin ? options.AdminAppRole : options.ScoringAppRole)}' in the token's roles claim.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        return await handler().ConfigureAwait(false);
    }

    /// <summary>The principal Easy Auth injected, or null when the header is absent or unreadable.</summary>
    public static ClaimsPrincipal? Read(HttpRequest request)
    {
        var header = request.Headers[PrincipalHeader].ToString();
        if (header.Length == 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = doc.RootElement;
            var claims = root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(c => new Claim(c.GetProperty("typ").GetString() ?? "", c.GetProperty("val").GetString() ?? "")).ToList()
                : [];
            return new ClaimsPrincipal(new ClaimsIdentity(
                claims,
                Text(root, "auth_typ") ?? "aad",
                Text(root, "name_typ") ?? "name",
                Text(root, "role_typ") ?? "roles"));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
