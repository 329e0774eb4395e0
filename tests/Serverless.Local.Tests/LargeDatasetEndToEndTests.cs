using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serverless.App.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;
using Xunit.Abstractions;
using Serverless.Core.Specs;

namespace Serverless.Local.Tests;

/// <summary>
/// The scale a new user tries next: a generated 1,000,000-row churn file, a spec with no trainer block (the default,
/// LightGBM), dropped into storage. ML.NET's LightGBM turns native categorical splits on above 50,000 training rows;
/// the run used to fail its train step three times on the exported graph. The one large case of this package.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class LargeDatasetEndToEndTests(LocalHostFixture host, ITestOutputHelper output)
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task A_million_row_drop_with_the_default_trainer_becomes_the_champion()
    {
        var model = Azurite.UniqueModel("million");
        await host.PutSpecAsync(model, Samples.SpecJson(s => s.Remove("trainer")));
        var bytes = Samples.Csv(Rows, seed: 31);
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes)));

        var started = Stopwatch.StartNew();
        await host.DropAsync(model, "customers-1m.csv", bytes);
        var run = await host.WaitForRunAsync(runId, TimeSpan.FromMinutes(10));
        output.WriteLine($"{Rows:N0} rows ({bytes.Length / 1e6:F0} MB): drop → run {run.Status} in {started.Elapsed.TotalSeconds:F0} s; "
            + string.Join(", ", run.Progress!.Steps.Select(s => $"{s.Step} {s.Seconds:F1} s")));

        Assert.True(run.Status == "Completed", $"{run.Status}: {run.Error} {run.Progress.Error}");
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);
        Assert.Equal(Rows, run.Result.Ingest.Rows);
        Assert.True(run.Result.Metrics![MetricNames.Auc] > 0.75, $"auc {run.Result.Metrics[MetricNames.Auc]}");

        var details = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!;
        Assert.Equal(run.Result.Version, details.Aliases[Serverless.Core.Registry.ModelAliases.Champion]);
        Assert.Equal(Serverless.Core.Specs.TrainerKind.LightGbm, Assert.Single(details.Versions).Trainer);

        // The champion serves: ONNX Runtime loaded the graph the run registered.
        var predict = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(
            """{"rows":[{"tenure_months":2,"monthly_charges":95.5,"total_charges":191,"contract":"month-to-month","payment_method":"electronic-check","internet_service":"fiber","support_calls":4,"autopay":false,"senior":false,"region":"north"}]}""",
            Encoding.UTF8,
            "application/json"));
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        var prediction = Assert.Single((await predict.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Predictions);
        Assert.InRange(prediction.Score!.Value, 0.5f, 1f); // a new month-to-month fiber customer with many calls churns
    }
}
