using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Local.Hosting;
using Serverless.Scorer.Hosting;

using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>
/// Application Insights has local auth off (infra/modules/monitor), so the exporter must carry the host's managed
/// identity: the one <c>AzureWebJobsStorage__clientId</c> names (infra/app/*.bicep).
/// </summary>
public sealed class TelemetryExportTests
{
    private static readonly string[] Settings =
    [
        "--APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/",
        "--AzureWebJobsStorage__clientId=11111111-1111-1111-1111-111111111111",
    ];

    [Fact]
    public void The_scorer_exports_with_its_managed_identity()
    {
        using var app = ScorerApp.Build(ScorerApp.CreateBuilder([.. Settings, $"--AzureWebJobsStorage={Azurite.ConnectionString}"]));
        Assert.IsType<ManagedIdentityCredential>(Exporter(app.Services).Credential);
    }

    [Fact]
    public async Task The_local_host_exports_with_its_managed_identity()
    {
        var builder = LocalPlatform.CreateBuilder(Settings, o =>
        {
            o.StartAzurite = false;
            o.BackgroundServices = false;
            // Never the developer's Azurite or their .local/ keys: the test's own storage string and keys.
            o.StorageConnectionString = Azurite.ConnectionString;
            (o.ScoringKey, o.AdminKey) = ("telemetry-scoring", "telemetry-admin");
        });
        await using var app = await LocalPlatform.BuildAsync(builder);
        Assert.IsType<ManagedIdentityCredential>(Exporter(app.Services).Credential);
    }

    private static AzureMonitorExporterOptions Exporter(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
}
