using Microsoft.Extensions.Configuration.Memory;
using Serverless.Core.Hosting;
using Serverless.Core;
using Serverless.App.Hosting;
using Serverless.App.Http;

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
        builder.Services.AddOptions<ApiKeyOptions>().Configure<Microsoft.Extensions.Options.IOptions<ScorerOptions>>((k, s) =>
            (k.Key, k.Header, k.KeySetting) = (s.Value.ApiKey, s.Value.ApiKeyHeader, $"{ScorerOptions.Section}:ApiKey"));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapScoringApi<ApiKeyFilter>();
        // Anonymous like health: Container Apps probes send no key.
        app.MapGet(ScorerReadiness.Path, ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(ScorerReadiness readiness, Microsoft.Extensions.Options.IOptions<ScorerOptions> options, CancellationToken ct)
    {
        var report = await readiness.CheckAsync(options.Value.ReadinessTimeout, ct).ConfigureAwait(false);
        return report.Ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
