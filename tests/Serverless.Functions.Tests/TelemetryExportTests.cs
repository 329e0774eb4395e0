using System.Reflection;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.Tests;

/// <summary>
/// Application Insights has local auth off (infra/modules/monitor), so the worker's exporter must carry the Function
/// App's managed identity (<c>AzureWebJobsStorage__clientId</c>). Builds the worker's host from its build output
/// (FunctionsHost, what Program.cs runs) without starting it.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public void The_functions_worker_exports_telemetry_with_its_managed_identity()
    {
        var assembly = Assembly.LoadFrom(Path.Combine(FunctionsBuild.OutputDirectory, "Serverless.Functions.dll"));
        var create = assembly.GetType("Serverless.Functions.Hosting.FunctionsHost", throwOnError: true)!.GetMethod("CreateBuilder")!;
        string[] args =
        [
            "--AzureWebJobsStorage=DefaultEndpointsProtocol=http;AccountName=none;AccountKey=bm9uZQ==;BlobEndpoint=http://127.0.0.1:1/none;QueueEndpoint=http://127.0.0.1:1/none;TableEndpoint=http://127.0.0.1:1/none;",
            "--APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/",
            "--AzureWebJobsStorage__clientId=11111111-1111-1111-1111-111111111111",
        ];
        var builder = create.Invoke(null, [args])!;
        using var host = (IHost)builder.GetType().GetMethod("Build", Type.EmptyTypes)!.Invoke(builder, null)!;

        var exporter = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }
}
