using System.Diagnostics;

namespace Serverless.Functions.Tests;

/// <summary>
/// Starts the built worker without a Functions host. It must get through building its services (DI is validated in
/// Development, as under `func start`) and stop only where it looks for the host's gRPC endpoint.
/// </summary>
public sealed class WorkerStartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/")]
    public async Task Worker_services_build_and_only_the_host_connection_is_missing(string? appInsights)
    {
        var start = new ProcessStartInfo("dotnet", Path.Combine(FunctionsBuild.OutputDirectory, "Serverless.Functions.dll"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = FunctionsBuild.OutputDirectory,
        };
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        // Never the developer's Azurite on 10000: nothing listens on port 1, and startup must not need storage.
        start.Environment["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=none;AccountKey=bm9uZQ==;BlobEndpoint=http://127.0.0.1:1/none;QueueEndpoint=http://127.0.0.1:1/none;TableEndpoint=http://127.0.0.1:1/none;";
        start.Environment["APPLICATIONINSIGHTS_CONNECTION_STRING"] = appInsights;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("Unable to resolve service", output);
        Assert.Contains("HostEndpoint", output);
    }
}
