using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using Serverless.App.Http.Auth;
using Serverless.Core;
using Serverless.ServiceDefaults;

namespace Serverless.App.Hosting;

/// <summary>The service defaults of the hosts that serve the API (Functions, local, scorer).</summary>
public static class WebDefaults
{
    /// <summary>
    /// <see cref="ServiceDefaults.ServiceDefaults.AddServiceDefaults"/> plus the API's JSON shape and the API key
    /// filter (<see cref="ApiKeyOptions"/> says which key; Functions maps no filter and uses function keys).
    /// </summary>
    public static OpenTelemetryBuilder AddWebDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.Configure<JsonOptions>(j => PlatformJson.Apply(j.SerializerOptions));
        builder.Services.TryAddSingleton<ApiKeyFilter>();
        return builder.AddServiceDefaults(serviceName);
    }
}
