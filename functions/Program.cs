using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless.Core;
using Serverless.Durable;
using Serverless.Durable.Api;
using Serverless.Durable.Intake;
using Serverless.Durable.Pipeline;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Same services and JSON shape as the local host; storage is the Functions host's own account.
builder.Services.AddServerlessPlatform(builder.Configuration, "AzureWebJobsStorage");
// These wrap a DurableTaskClient, which Functions hands out per invocation ([DurableClient]), never from DI: the
// triggers build them, and left registered they fail DI validation at startup under `func start` (Development).
builder.Services.RemoveAll<PipelineClient>().RemoveAll<DropIntake>().RemoveAll<PlatformApiServices>();
builder.Services.ConfigureHttpJsonOptions(o => PlatformJson.Apply(o.SerializerOptions));

// Export only where Application Insights is configured, so `func start` needs no telemetry setup.
if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults().UseAzureMonitorExporter();
}

builder.Build().Run();
