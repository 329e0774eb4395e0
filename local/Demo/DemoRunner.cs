using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Core.Registry;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.App.Http.Auth;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Local.Hosting;

namespace Serverless.Local.Demo;

/// <summary>
/// <c>dotnet run --project local -- demo</c>: stores the sample spec, drops the sample dataset into blob storage
/// exactly as a user would, follows the run step by step, and prints the champion, a curl to score with and the explanation of that prediction.
/// </summary>
public static class DemoRunner
{
    public const string Model = "churn";

    public const string DataFile = "churn.csv";

    public static async Task<int> RunAsync(WebApplication app, CancellationToken ct)
    {
        var options = app.Services.GetRequiredService<IOptions<LocalHostOptions>>().Value;
        var root = RepositoryRoot.Find() ?? Directory.GetCurrentDirectory();
        var specPath = Path.Combine(root, "samples", Model, "model.json");
        var dataPath = Path.Combine(root, "samples", Model, "churn.csv");
        var baseUrl = $"http://localhost:{options.Port}";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, options.AdminKey);

        Console.WriteLine($"▶ Local host on {baseUrl} (storage: Azurite, durable backend: Azure Storage)");
        var put = await http.PutAsync($"/api/models/{Model}", new StringContent(await File.ReadAllTextAsync(specPath, ct)), ct);
        Console.WriteLine($"▶ PUT /api/models/{Model} → {(int)put.StatusCode} ({specPath})");
        put.EnsureSuccessStatusCode();

        var bytes = await File.ReadAllBytesAsync(dataPath, ct);
        var storage = app.Services.GetRequiredService<PlatformStorage>();
        var blobName = BlobLayout.IncomingBlob(Model, DataFile);
        var upload = await storage.Datasets.GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), overwrite: true, ct);
        var runId = await DropRun.FindAsync(storage, Model, DataFile, ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false)), upload.Value.ETag, TimeSpan.FromSeconds(30), ct);
        Console.WriteLine($"▶ Dropped {bytes.Length / 1024} KiB at {BlobLayout.DatasetsContainer}/{blobName}; run id {runId}");

        var clock = Stopwatch.StartNew();
        var run = await RunFollower.FollowAsync(http, runId, Console.Out, TimeSpan.FromMinutes(10), ct);
        if (run?.Result is not { } result)
        {
            Console.WriteLine($"✗ Run {runId} ended as {run?.Status ?? "unknown"}: {run?.Error ?? run?.Progress?.Error}");
            return 1;
        }

        Console.WriteLine($"▶ Run {result.Outcome} in {clock.Elapsed.TotalSeconds:F1} s (wall, including queueing)");
        var details = await http.GetFromJsonAsync<ModelDetails>($"/api/models/{Model}", PlatformJson.Options, ct);
        var champion = details!.Aliases.TryGetValue(ModelAliases.Champion, out var c) ? c : (int?)null;
        var card = details.Versions.FirstOrDefault(v => v.Version == champion);
        if (card is null)
        {
            Console.WriteLine("✗ No champion was promoted; see the gate report: " + result.Evaluation?.GateReportBlob);
            return 1;
        }

        Console.WriteLine($"▶ Champion: {Model} v{card.Version} ({card.Trainer}), holdout metrics:");
        foreach (var (name, value) in card.Metrics)
        {
            Console.WriteLine($"    {name,-10} {value:F4}");
        }

        var registered = await app.Services.GetRequiredService<ModelRegistry>().GetCardAsync(Model, card.Version, ct);
        if (registered?.GlobalImportance is { } importance)
        {
            Console.WriteLine($"▶ Global importance: mean |TreeSHAP| on the holdout (margin units) | holdout {registered.PermutationMetric} lost when the column is shuffled:");
            foreach (var (name, value) in importance.OrderByDescending(kv => kv.Value))
            {
                Console.WriteLine($"    {name,-17} {value:F4} | {registered.PermutationImportance?.GetValueOrDefault(name):F4}");
            }
        }

        var example = """{"rows":[{"tenure_months":2,"monthly_charges":95.5,"total_charges":191.0,"contract":"month-to-month","payment_method":"electronic-check","internet_service":"fiber","support_calls":4,"autopay":false,"senior":false,"region":"west"},{"tenure_months":60,"monthly_charges":25.0,"total_charges":1500.0,"contract":"two-year","payment_method":"credit-card","internet_service":"none","support_calls":0,"autopay":true,"senior":false,"region":"north"}]}""";
        var predict = await http.PostAsync($"/api/models/{Model}/predict", new StringContent(example, System.Text.Encoding.UTF8, "application/json"), ct);
        Console.WriteLine($"▶ Scoring is live. Try it:\n\ncurl -s -X POST {baseUrl}/api/models/{Model}/predict \\\n  -H \"{ApiKeyFilter.Header}: $(cat {Path.Combine(root, options.KeysDirectory, LocalApiKeys.ScoringFile)})\" -H 'content-type: application/json' \\\n  -d '{example}'\n");
        Console.WriteLine($"  → {(int)predict.StatusCode} {JsonSerializer.Serialize(JsonDocument.Parse(await predict.Content.ReadAsStringAsync(ct)).RootElement, PlatformJson.Options)}");

        // The same rows explained: exact TreeSHAP per input column (raw margin space; the link maps it to the probability).
        var explain = await http.PostAsync($"/api/models/{Model}/explain", new StringContent(example, System.Text.Encoding.UTF8, "application/json"), ct);
        Console.WriteLine($"▶ Why: POST /api/models/{Model}/explain (same body)");
        Console.WriteLine($"  → {(int)explain.StatusCode} {JsonSerializer.Serialize(JsonDocument.Parse(await explain.Content.ReadAsStringAsync(ct)).RootElement, PlatformJson.Options)}");
        Console.WriteLine("\nThe host keeps running (Ctrl+C to stop). Copy more files into drop/{model}/ (or datasets/{model}/incoming/ in Azurite) to retrain; the console is at /console/.");
        return 0;
    }
}
