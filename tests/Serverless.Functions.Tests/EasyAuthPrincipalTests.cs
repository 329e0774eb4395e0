using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Tests;

/// <summary>
/// The Functions role check on what Easy Auth injects: X-MS-CLIENT-PRINCIPAL as documented
/// (learn.microsoft.com/azure/app-service/configure-authentication-user-identities, "Decode the client principal
/// header"), for a bearer token and for the console's sign-in session alike. Easy Auth names the WS-* role URI as
/// role_typ while Entra ID's app roles arrive as <c>roles</c> claims (Azure/azure-functions-host#3898).
/// </summary>
public sealed class EasyAuthPrincipalTests
{
    private const string WsRoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private static readonly ApiKeyOptions Options = new();

    public static TheoryData<string[], ApiRole, bool> Cases => new()
    {
        { ["Admin"], ApiRole.Admin, true },
        { ["Admin"], ApiRole.Scoring, true },
        { ["Scoring"], ApiRole.Scoring, true },
        { ["Scoring"], ApiRole.Admin, false },
        { [], ApiRole.Scoring, false },
        { ["Reader"], ApiRole.Scoring, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_app_role_in_the_roles_claims_decides(string[] roles, ApiRole route, bool allowed)
    {
        var request = Request("GET", roles);
        var principal = Assert.IsType<System.Security.Claims.ClaimsPrincipal>(EasyAuthPrincipal.Read(request));
        Assert.Equal("someone@contoso.example", principal.Identity!.Name);

        var refusal = EasyAuthPrincipal.Refusal(request, principal, route, Options);
        if (allowed)
        {
            Assert.Null(refusal);
            return;
        }

        var problem = Assert.IsType<ProblemHttpResult>(refusal);
        Assert.Equal(StatusCodes.Status403Forbidden, problem.StatusCode);
        Assert.Contains($"needs the app role '{(route == ApiRole.Admin ? "Admin" : "Scoring")}'", problem.ProblemDetails.Detail);
        Assert.Contains(roles.Length == 0 || roles[0] == "Reader" ? "none of the API's app roles" : "only 'Scoring'", problem.ProblemDetails.Detail);
    }

    [Theory]
    [InlineData("cross-site", false)]
    [InlineData("same-site", false)]
    [InlineData("same-origin", true)]
    [InlineData(null, true)] // not a browser: the CLI or a service with a bearer token
    public void A_session_cookie_changes_nothing_from_another_site(string? site, bool allowed)
    {
        var request = Request("POST", ["Admin"]);
        if (site is not null) request.Headers["Sec-Fetch-Site"] = site;
        var refusal = EasyAuthPrincipal.Refusal(request, EasyAuthPrincipal.Read(request)!, ApiRole.Admin, Options);
        Assert.Equal(allowed, refusal is null);

        // Reads stay open to any site's navigation: they change nothing, and the CSP keeps other sites from framing the console.
        var read = Request("GET", ["Admin"]);
        read.Headers["Sec-Fetch-Site"] = "cross-site";
        Assert.Null(EasyAuthPrincipal.Refusal(read, EasyAuthPrincipal.Read(read)!, ApiRole.Admin, Options));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    public void An_unreadable_header_is_no_principal(string header)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[EasyAuthPrincipal.Header] = header;
        Assert.Null(EasyAuthPrincipal.Read(request));
    }

    private static HttpRequest Request(string method, string[] roles)
    {
        var claims = new JsonArray(
            new JsonObject { ["typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["val"] = "someone@contoso.example" },
            new JsonObject { ["typ"] = "oid", ["val"] = "00000000-0000-0000-0000-0000000000e1" });
        foreach (var role in roles) claims.Add(new JsonObject { ["typ"] = EasyAuthPrincipal.RolesClaim, ["val"] = role });
        var principal = new JsonObject
        {
            ["auth_typ"] = "aad",
            ["claims"] = claims,
            ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            ["role_typ"] = WsRoleType,
        };
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Headers[EasyAuthPrincipal.Header] = Convert.ToBase64String(Encoding.UTF8.GetBytes(principal.ToJsonString()));
        return request;
    }
}
