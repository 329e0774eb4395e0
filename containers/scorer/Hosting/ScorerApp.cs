using Microsoft.Extensions.Configuration.Memory;
using Serverless.Core.Hosting;
using Serverless.Core;
using Serverless.App.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;

namespace Serverless.Scorer.Hosting;

/// <summary>
/// Composes the scorer: scoring services only (no durable backend), the scoring routes of the platform API behind
/// an API key. Any model with a champion is served: which endpoint a client calls is a deployment choice, not the
/// model's, and refusing models here would turn a routing preference into an outage when the scorer is the only
/// endpoint left. The <c>provider</c> metric tag and the startup log say what actually ran.
/// </summary>
public static class ScorerApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Scorer defaults, below every other source so settings and environment still override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Scoring:BatchingEnabled"] = "true" },
        });

        builder.Services.AddServerlessPlatform(builder.Configuration).AddScoring();
        builder.AddWebDefaults("serverless-scorer");
        builder.Services.AddOptions<ScorerOptions>().Bind(builder.Configuration.GetSection(ScorerOptions.Section));
        builder.Services.AddSingleton<ScorerReadiness>();
        builder.Services.AddApiDocument();
        // The scorer serves scoring routes only, so its one key is a scoring key.
        builder.Services.AddOptions<ApiKeyOptions>().Configure<Microsoft.Extensions.Options.IOptions<ScorerOptions>>((k, s) =>
            (k.ScoringKey, k.Header, k.KeySetting) = (s.Value.ApiKey, s.Value.ApiKeyHeader, $"{ScorerOptions.Section}:ApiKey"));
        AddEntraId(builder);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScorerEntraIdOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
        }

        app.MapScoringApi<ApiKeyFilter>();
        // Anonymous like health: Container Apps probes send no key.
        app.MapGet(ScorerReadiness.Path, ReadyAsync).WithSummary("Readiness: storage answers and every champion loads").WithName("ready").WithTags("Scoring")
            .Produces<ReadinessResponse>().Produces<ReadinessResponse>(StatusCodes.Status503ServiceUnavailable);
        // Its own document (scoring routes only) and reference page.
        app.MapApiDocument().MapApiReference();
        return app;
    }

    /// <summary>
    /// Entra ID bearer tokens when <c>Scorer:EntraId:Audience</c> is set: signature, issuer, audience and lifetime are
    /// validated by JwtBearer; <see cref="ApiKeyFilter"/> then requires the app role in the <c>roles</c> claim (the
    /// claim Entra ID emits for app roles; claim names are kept as issued, not mapped to WS-* URIs).
    /// </summary>
    private static void AddEntraId(WebApplicationBuilder builder)
    {
        var entra = builder.Configuration.GetSection(ScorerEntraIdOptions.Section).Get<ScorerEntraIdOptions>() ?? new ScorerEntraIdOptions();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(entra));
        if (!entra.Enabled) return;

        builder.Services.Configure<ApiKeyOptions>(k => k.ScoringAppRole = entra.ScoringRole);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            if (entra.Authority.Length > 0) o.Authority = entra.Authority;
            o.Audience = entra.Audience;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.RoleClaimType = "roles";
            o.TokenValidationParameters.NameClaimType = "name";
        });
    }

    private static async Task<IResult> ReadyAsync(ScorerReadiness readiness, Microsoft.Extensions.Options.IOptions<ScorerOptions> options, CancellationToken ct)
    {
        var report = await readiness.CheckAsync(options.Value.ReadinessTimeout, ct).ConfigureAwait(false);
        return report.Ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
