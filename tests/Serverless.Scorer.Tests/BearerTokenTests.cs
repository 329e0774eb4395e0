using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.Core.Hosting;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

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

    private readonly RsaSecurityKey _signingKey = new(RSA.Create(2048)) { KeyId = "test-key" };
    private WebApplication? _scorer;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = ScorerApp.CreateBuilder([
            $"--{PlatformOptions.DefaultStorageConnection}={Azurite.ConnectionString}",
            $"--Scorer:ApiKey={ScorerFixture.ApiKey}",
            $"--Scorer:EntraId:Audience={Audience}",
        ]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.TokenValidationParameters.ValidIssuer = Issuer;
            o.TokenValidationParameters.IssuerSigningKey = _signingKey;
        });
        _scorer = ScorerApp.Build(builder);
        await _scorer.StartAsync();
        var address = _scorer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_scorer is not null)
        {
            await _scorer.StopAsync();
            await _scorer.DisposeAsync();
        }
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

    private string Token(string[] roles, SecurityKey? key = null, string audience = Audience, string issuer = Issuer, DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["oid"] = "00000000-0000-0000-0000-0000000000aa" };
        if (roles.Length > 0) claims["roles"] = roles;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? _signingKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
