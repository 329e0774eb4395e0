using System.Security.Claims;

namespace Serverless.App.Http.Auth;

/// <summary>Who called, as recorded in the alias history: the key's role locally, the token's object or app id with bearer auth.</summary>
public static class ApiCaller
{
    /// <summary>The authentication type of identities made from an API key.</summary>
    public const string KeyAuthentication = "ApiKey";

    /// <summary>Entra ID claims naming the caller, most specific first (object id, then the app id of an app-only token, then a display name).</summary>
    private static readonly string[] IdentityClaims = ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier", "appid", "azp", "name", ClaimTypes.Name, "sub"];

    public const string Anonymous = "anonymous";

    /// <summary>The identity a valid key stands for: role <paramref name="role"/>, name <c>{role}-key</c>.</summary>
    public static ClaimsPrincipal ForKey(ApiRole role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, $"{Name(role)}-key"), new Claim(ClaimTypes.Role, Name(role))],
        KeyAuthentication));

    /// <summary><c>key:admin-key</c>, <c>oid:…</c>, <c>appid:…</c>, or <see cref="Anonymous"/>.</summary>
    public static string Describe(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity) return Anonymous;
        if (identity.AuthenticationType == KeyAuthentication) return "key:" + identity.Name;
        foreach (var type in IdentityClaims)
        {
            if (user.FindFirst(type)?.Value is { Length: > 0 } value) return $"{ShortName(type)}:{value}";
        }

        return identity.AuthenticationType ?? Anonymous;
    }

    public static string Name(ApiRole role) => role == ApiRole.Admin ? "admin" : "scoring";

    private static string ShortName(string claimType) => claimType switch
    {
        "http://schemas.microsoft.com/identity/claims/objectidentifier" => "oid",
        ClaimTypes.Name => "name",
        _ => claimType,
    };
}
