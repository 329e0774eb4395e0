using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serverless.Core.Telemetry;

namespace Serverless.Local.Hosting;

/// <summary>
/// OpenTelemetry for the local host: the platform's meter and spans plus ASP.NET Core's, scraped as Prometheus text at
/// <c>/metrics</c>, and exported to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
/// </summary>
public static class LocalTelemetry
{
    public const string MetricsPath = "/metrics";

    public static void AddLocalTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("serverless-local", serviceVersion: typeof(LocalTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t.AddSource(PlatformTelemetry.Name).AddAspNetCoreInstrumentation())
            .WithMetrics(m => m.AddMeter(PlatformTelemetry.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            otel.UseAzureMonitorExporter();
        }
    }
}
