using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Serverless.Core;
using Serverless.Core.Telemetry;
using Serverless.Durable;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Same services and JSON shape as the local host; storage is the Functions host's own account. The durable
// client comes per invocation from [DurableClient], so the triggers build what wraps it (see Http/ApiServices).
builder.Services.AddServerlessPlatform(builder.Configuration, "AzureWebJobsStorage");
builder.Services.ConfigureHttpJsonOptions(o => PlatformJson.Apply(o.SerializerOptions));

// Export only where Application Insights is configured, so `func start` needs no telemetry setup.
if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    builder.Services.AddOpenTelemetry()
        .WithTracing(t => t.AddSource(PlatformTelemetry.Name))
        .WithMetrics(m => m.AddMeter(PlatformTelemetry.Name))
        .UseFunctionsWorkerDefaults()
        .UseAzureMonitorExporter();
}

builder.Build().Run();
