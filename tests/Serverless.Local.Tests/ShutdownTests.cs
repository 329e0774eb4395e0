using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.App.Intake;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>A host whose storage has gone away still stops when told to, within its shutdown timeout.</summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The stop paths get <see cref="ShutdownTimeout"/> between them; after that only process teardown remains (runtime
    /// exit, disposals that must not wait on storage either). The allowance for it is generous, because it only has
    /// to tell "exits" from "hangs" (which was &gt;100 s).
    /// </summary>
    private static readonly TimeSpan ExitBound = ShutdownTimeout + TimeSpan.FromSeconds(20);

    [Fact(Timeout = 300_000)] // a hang here must fail the run, not stall CI
    public async Task A_host_whose_storage_is_gone_exits_after_SIGTERM_within_its_shutdown_timeout()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        await using var host = new LocalHostProcess(
            "stop" + Guid.NewGuid().ToString("N")[..10], "stop-key", azurite.ConnectionString,
            $"--LocalHost:ShutdownTimeout={ShutdownTimeout.ToString("c", CultureInfo.InvariantCulture)}");
        await host.StartAsync();

        // A champion to serve, so predictions are buffered for the log when storage goes away.
        var model = Azurite.UniqueModel("stop");
        (await host.Http.PutAsync($"/api/models/{model}", new StringContent(Samples.AlwaysPromoteSpecJson(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var bytes = Samples.Csv(600, seed: 41);
        await new PlatformStorage(new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString)).Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "d.csv")).UploadAsync(new BinaryData(bytes));
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes)));
        await Eventually.TrueAsync(async () => (await host.Http.GetAsync($"/api/runs/{runId}")) is { IsSuccessStatusCode: true } r && (await r.Content.ReadAsStringAsync()).Contains("\"Completed\"", StringComparison.Ordinal),
            TimeSpan.FromMinutes(2), "the run to complete");

        // Loaded while storage is up; then scored once more without it, so the prediction log holds rows it cannot write.
        var row = new { tenure_months = 3, monthly_charges = 80.0, total_charges = 240.0, contract = "month-to-month", payment_method = "electronic-check", internet_service = "fiber", support_calls = 1, autopay = false, senior = false, region = "east" };
        var body = JsonSerializer.Serialize(new { rows = new[] { row } });
        var warm = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(warm.IsSuccessStatusCode, $"{(int)warm.StatusCode} {await warm.Content.ReadAsStringAsync()}");
        await azurite.StopAsync();
        var during = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(during.IsSuccessStatusCode, $"{(int)during.StatusCode} {await during.Content.ReadAsStringAsync()}");

        host.Terminate();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(host.HasExited), ExitBound, $"the host to exit within {ExitBound} of SIGTERM (ShutdownTimeout {ShutdownTimeout})");
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}\n--- host output ---\n{host.OutputTail}");
        }
    }
}
