using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serverless.Core;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;

namespace Serverless.ServiceDefaults;

/// <summary>What every host of the platform (Functions, local, scorer, trainer) sets up the same way.</summary>
public static class ServiceDefaults
{
    /// <summary>The Application Insights setting; Azure Monitor export is on exactly when it is set.</summary>
    public const string AppInsightsConnection = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry with the platform's spans and meter under <paramref name="serviceName"/>, exported to Azure Monitor
    /// when <see cref="AppInsightsConnection"/> is set. Returns the builder for a host's own instrumentation and exporters.
    /// Application Insights has local (key) auth off (infra/modules/monitor), so the exporter authenticates with the
    /// host's identity: the managed identity storage uses (<c>AzureWebJobsStorage__clientId</c>, set by infra/app/*.bicep
    /// and the Function App), see <see cref="StorageClients.Credential"/>.
    /// </summary>
    public static OpenTelemetryBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: PlatformInfo.Version))
            .WithTracing(t => t.AddSource(PlatformTelemetry.Name))
            .WithMetrics(m => m.AddMeter(PlatformTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[AppInsightsConnection]))
        {
            var credential = StorageClients.Credential(builder.Configuration, PlatformOptions.DefaultStorageConnection);
            otel.UseAzureMonitorExporter(o => o.Credential = credential);
        }

        return otel;
    }
}
