using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.App.Http.Auth;

/// <summary>
/// The caller App Service authentication (Easy Auth) passes to the Function App in <c>X-MS-CLIENT-PRINCIPAL</c>
/// (Base64 JSON <c>{auth_typ, claims:[{typ, val}], name_typ, role_typ}</c>, a header external requests cannot set:
/// learn.microsoft.com/azure/app-service/configure-authentication-user-identities), whether it came with a bearer token
/// (CLI, services) or with Easy Auth's session cookie after the console's "Sign in with Microsoft" (the ID token's claims,
/// whose <c>roles</c> carries the user's app role assignments). Easy Auth authenticates but does not know the routes,
/// so the app role is checked here.
/// </summary>
public static class EasyAuthPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The claim Entra ID emits app roles in. Easy Auth keeps it as <c>roles</c> while its role_typ names the WS-* role URI, so IsInRole alone misses it (Azure/azure-functions-host#3898).</summary>
    public const string RolesClaim = "roles";

    /// <summary>Fetch metadata a browser sends on every request (Sec-Fetch-Site): only these may change anything with a session cookie.</summary>
    private static readonly string[] SameOriginSites = ["same-origin", "none"];

    /// <summary>The principal Easy Auth injected, or null when the header is absent or unreadable.</summary>
    public static ClaimsPrincipal? Read(HttpRequest request)
    {
        var header = request.Headers[Header].ToString();
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
                Text(root, "role_typ") ?? RolesClaim));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The highest role <paramref name="principal"/>'s app roles grant, or null for none.</summary>
    public static ApiRole? Granted(ClaimsPrincipal principal, ApiKeyOptions options) =>
        Has(principal, options.AdminAppRole) ? ApiRole.Admin : Has(principal, options.ScoringAppRole) ? ApiRole.Scoring : null;

    /// <summary>
    /// Null when <paramref name="principal"/> may call a route of <paramref name="role"/>; else the 403 to answer: no
    /// such app role, or a state-changing request a browser marks as coming from another site (a session cookie rides
    /// along on cross-site form posts; same-origin fetches of the console and non-browser clients pass).
    /// </summary>
    public static IResult? Refusal(HttpRequest request, ClaimsPrincipal principal, ApiRole role, ApiKeyOptions options)
    {
        var granted = Granted(principal, options);
        if (granted is null || granted < role)
        {
            var needed = role == ApiRole.Admin ? options.AdminAppRole : options.ScoringAppRole;
            var has = granted is null ? "none of the API's app roles" : $"only '{(granted == ApiRole.Admin ? options.AdminAppRole : options.ScoringAppRole)}'";
            return TypedResults.Problem($"This route needs the app role '{needed}' in the token's roles claim; the caller has {has}. Assign it on the API's enterprise application (docs/auth.md).", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && site.Length > 0 && !SameOriginSites.Contains(site, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"A {request.Method} from another site ({site}) is refused: send it from the console or with a bearer token.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        return null;
    }

    private static bool Has(ClaimsPrincipal principal, string role) => principal.IsInRole(role) || principal.HasClaim(RolesClaim, role);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
