using System.Net;
using System.Security.Cryptography;
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

namespace Serverless.Tests.Shared.Entra;

/// <summary>
/// The GPU scorer on Kestrel loopback validating Entra ID bearer tokens (signature, issuer, audience, lifetime, app
/// role) against a test signing key set in its token validation parameters instead of the authority's metadata, so
/// no network; <see cref="Token"/> issues tokens the way Entra ID would. Entra ID is the only thing stood in for.
/// </summary>
internal sealed class EntraScorer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EntraScorer(WebApplication app, string audience, string issuer, RsaSecurityKey signingKey, Uri address) =>
        (_app, Audience, Issuer, SigningKey, Address) = (app, audience, issuer, signingKey, address);

    public string Audience { get; }

    public string Issuer { get; }

    public RsaSecurityKey SigningKey { get; }

    public Uri Address { get; }

    public static async Task<EntraScorer> StartAsync(string audience, string issuer, string apiKey, string keyId)
    {
        var signingKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };
        var builder = ScorerApp.CreateBuilder([
            $"--{PlatformOptions.DefaultStorageConnection}={Azurite.ConnectionString}",
            $"--Scorer:ApiKey={apiKey}",
            $"--Scorer:EntraId:Audience={audience}",
        ]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.TokenValidationParameters.ValidIssuer = issuer;
            o.TokenValidationParameters.IssuerSigningKey = signingKey;
        });
        var app = ScorerApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EntraScorer(app, audience, issuer, signingKey, new Uri(address));
    }

    /// <summary>A signed access token with <paramref name="roles"/> in its <c>roles</c> claim; each other part may be made wrong.</summary>
    public string Token(string[] roles, IReadOnlyDictionary<string, object> claims, SecurityKey? key = null, string? audience = null, string? issuer = null, DateTime? expires = null)
    {
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        var all = new Dictionary<string, object>(claims);
        if (roles.Length > 0) all["roles"] = roles;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            IssuedAt = until.AddHours(-2),
            NotBefore = until.AddHours(-2),
            Expires = until,
            Claims = all,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
