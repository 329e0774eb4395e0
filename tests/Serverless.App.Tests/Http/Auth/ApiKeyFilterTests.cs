using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.App.Http.Auth;

namespace Serverless.App.Tests.Http.Auth;

/// <summary>The role filter, as the local host (two keys; open when both are emptied) and the scorer (one scoring key, closed without it) set it.</summary>
public sealed class ApiKeyFilterTests
{
    private const string Scoring = "scoring-secret";
    private const string Admin = "admin-secret";

    [Theory]
    // route role, key sent → status (200 = reached the handler)
    [InlineData(ApiRole.Scoring, Scoring, 200)]
    [InlineData(ApiRole.Scoring, Admin, 200)]
    [InlineData(ApiRole.Admin, Admin, 200)]
    [InlineData(ApiRole.Admin, Scoring, 403)]
    [InlineData(ApiRole.Scoring, "wrong", 401)]
    [InlineData(ApiRole.Admin, "wrong", 401)]
    [InlineData(ApiRole.Scoring, null, 401)]
    [InlineData(ApiRole.Admin, null, 401)]
    [InlineData(ApiRole.Admin, "", 401)]
    [InlineData(ApiRole.Scoring, Scoring + " ", 401)]
    public async Task Each_key_reaches_the_routes_of_its_role(ApiRole route, string? sent, int status)
    {
        var (http, reached) = await InvokeAsync(new ApiKeyOptions { ScoringKey = Scoring, AdminKey = Admin }, route, h => Send(h, "x-api-key", sent));

        Assert.Equal(status, reached ? 200 : http.Response.StatusCode);
        if (reached)
        {
            var expected = sent == Admin ? "key:admin-key" : "key:scoring-key";
            Assert.Equal(expected, ApiCaller.Describe(http.User));
        }
    }

    [Theory]
    [InlineData("", "", true, ApiRole.Admin, 200)]
    [InlineData("", "", false, ApiRole.Scoring, 401)]
    [InlineData("s", "", false, ApiRole.Admin, 403)]
    public async Task Without_keys_the_host_decides_open_or_closed(string scoringKey, string adminKey, bool allowWithoutKey, ApiRole route, int status)
    {
        var o = new ApiKeyOptions { ScoringKey = scoringKey, AdminKey = adminKey, AllowWithoutKey = allowWithoutKey, KeySetting = "Test:ApiKey" };
        var (http, reached) = await InvokeAsync(o, route, h => Send(h, "x-api-key", scoringKey.Length > 0 ? scoringKey : null));

        Assert.Equal(status, reached ? 200 : http.Response.StatusCode);
    }

    [Fact]
    public async Task The_header_name_is_configurable()
    {
        var o = new ApiKeyOptions { ScoringKey = Scoring, Header = "x-scorer-key" };
        Assert.True((await InvokeAsync(o, ApiRole.Scoring, h => Send(h, "x-scorer-key", Scoring))).Reached);
        Assert.False((await InvokeAsync(o, ApiRole.Scoring, h => Send(h, "x-api-key", Scoring))).Reached);
    }

    [Theory]
    [InlineData(new[] { "Scoring" }, ApiRole.Scoring, 200)]
    [InlineData(new[] { "Admin" }, ApiRole.Scoring, 200)]
    [InlineData(new[] { "Admin" }, ApiRole.Admin, 200)]
    [InlineData(new[] { "Scoring" }, ApiRole.Admin, 403)]
    [InlineData(new string[0], ApiRole.Scoring, 403)]
    [InlineData(new[] { "scoring" }, ApiRole.Scoring, 403)]
    public async Task An_authenticated_token_needs_the_app_role_in_its_roles_claim(string[] roles, ApiRole route, int status)
    {
        var identity = new ClaimsIdentity(
            [new Claim("oid", "00000000-0000-0000-0000-0000000000aa"), .. roles.Select(r => new Claim("roles", r))],
            "Bearer", "name", "roles");
        var (http, reached) = await InvokeAsync(new ApiKeyOptions { ScoringKey = Scoring, AdminKey = Admin }, route, h => h.User = new ClaimsPrincipal(identity));

        Assert.Equal(status, reached ? 200 : http.Response.StatusCode);
        if (reached) Assert.Equal("oid:00000000-0000-0000-0000-0000000000aa", ApiCaller.Describe(http.User));
    }

    private static void Send(HttpContext http, string header, string? value)
    {
        if (value is not null) http.Request.Headers[header] = value;
    }

    private static async Task<(DefaultHttpContext Http, bool Reached)> InvokeAsync(ApiKeyOptions options, ApiRole route, Action<HttpContext> arrange)
    {
        var filter = new ApiKeyFilter(Options.Create(options));
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new RequiresRole(route)), "test"));
        arrange(http);

        var reached = false;
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ =>
        {
            reached = true;
            return ValueTask.FromResult<object?>("handler");
        });
        if (!reached) await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);
        return (http, reached);
    }
}
