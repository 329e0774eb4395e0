using Microsoft.Extensions.Configuration.Memory;
using Serverless.Core;
using Serverless.Durable;
using Serverless.Durable.Api;

namespace Serverless.Scorer.Hosting;

/// <summary>
/// Composes the scorer: scoring services only (no durable backend), the scoring routes of the platform API behind
/// an API key. Any model with a champion is served: which endpoint a client calls is a deployment choice, not the
/// model's, and refusing models here would turn a routing preference into an outage when the scorer is the only
/// endpoint left. The <c>provider</c> metric tag and the startup log say what actually ran.
/// </summary>
public static class ScorerApp
{
    /// <summary>Storage settings name; the Container App sets <c>AzureWebJobsStorage__blobServiceUri</c> and friends.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Scorer defaults, below every other source so settings and environment still override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Scoring:BatchingEnabled"] = "true" },
        });

        builder.Services.AddServerlessScoring(builder.Configuration, StorageConnection);
        builder.Services.AddOptions<ScorerOptions>().Bind(builder.Configuration.GetSection(ScorerOptions.Section));
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.ConfigureHttpJsonOptions(j => PlatformJson.Apply(j.SerializerOptions));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapScoringApi<ApiKeyFilter>();
        return app;
    }
}
