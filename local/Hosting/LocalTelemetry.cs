using Serverless.App.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Serverless.Local.Hosting;

/// <summary>
/// The local host's service defaults (telemetry, JSON, API key filter) plus ASP.NET Core's spans and metrics, scraped
/// as Prometheus text at <c>/metrics</c>.
/// </summary>
public static class LocalTelemetry
{
    public const string MetricsPath = "/metrics";

    public static void AddLocalTelemetry(this WebApplicationBuilder builder)
    {
        builder.AddWebDefaults("serverless-local")
            .WithTracing(t => t.AddAspNetCoreInstrumentation())
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddPrometheusExporter());
    }
}
