using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Serverless.Tests.Shared;
using Serverless.Tests.Shared.Entra;

namespace Serverless.Scorer.Tests;

/// <summary>
/// Entra ID bearer tokens on the scorer: JwtBearer validates them against a test RSA signing key (set in its token
/// validation parameters instead of the authority's metadata, so no network), and the role filter needs the
/// <c>Scoring</c> app role in the <c>roles</c> claim. The API key keeps working beside them.
/// </summary>
[Collection(ScorerCollection.Name)]
public sealed class BearerTokenTests(ScorerFixture host) : IAsyncLifetime
{
    private const string Audience = "api://serverless-scorer-test";
    private const string Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";

    private EntraScorer _scorer = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _scorer = await EntraScorer.StartAsync(Audience, Issuer, ScorerFixture.ApiKey, "test-key");
        _http = new HttpClient { BaseAddress = _scorer.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_scorer is not null) await _scorer.DisposeAsync();
    }

    public static TheoryData<string, HttpStatusCode> Tokens => new()
    {
        { "scoring role", HttpStatusCode.OK },
        { "admin role", HttpStatusCode.OK },
        { "no role", HttpStatusCode.Forbidden },
        { "other role", HttpStatusCode.Forbidden },
        { "other signing key", HttpStatusCode.Unauthorized },
        { "other audience", HttpStatusCode.Unauthorized },
        { "other issuer", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task Scoring_routes_take_a_valid_token_with_the_scoring_app_role(string token, HttpStatusCode expected)
    {
        var jwt = token switch
        {
            "scoring role" => Token(["Scoring"]),
            "admin role" => Token(["Admin"]),
            "no role" => Token([]),
            "other role" => Token(["Reader"]),
            "other signing key" => Token(["Scoring"], key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }),
            "other audience" => Token(["Scoring"], audience: "api://someone-else"),
            "other issuer" => Token(["Scoring"], issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0"),
            "expired" => Token(["Scoring"], expires: DateTime.UtcNow.AddHours(-1)),
            _ => throw new ArgumentOutOfRangeException(nameof(token)),
        };

        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, $"/api/models/{host.Model}"),
            new HttpRequestMessage(HttpMethod.Post, $"/api/models/{host.Model}/predict") { Content = new StringContent("""{"rows":[{"x":0.5,"color":"red"}]}""", Encoding.UTF8, "application/json") },
        })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
            var response = await _http.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"{token}: {request.Method} {request.RequestUri} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_api_key_stays_the_fallback_and_nothing_passes_without_a_credential()
    {
        using var keyed = new HttpRequestMessage(HttpMethod.Get, $"/api/models/{host.Model}");
        keyed.Headers.Add("x-api-key", ScorerFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(keyed)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync($"/api/models/{host.Model}")).StatusCode);
    }

    private string Token(string[] roles, SecurityKey? key = null, string audience = Audience, string issuer = Issuer, DateTime? expires = null) =>
        _scorer.Token(roles, new Dictionary<string, object> { ["oid"] = "00000000-0000-0000-0000-0000000000aa" }, key, audience, issuer, expires);
}
