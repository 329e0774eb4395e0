using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.App.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The first datasets a new user brings: class names as labels, one class only, too few rows.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class DataContractEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_file_labelled_with_class_names_trains_and_predict_answers_with_the_names()
    {
        var model = Azurite.UniqueModel("names");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s => s["positiveClass"] = "churned"));
        var lines = Lines(Samples.Csv(1500, seed: 61));
        var named = lines.Select((line, i) => i == 0 ? line : Relabel(line, l => l == "true" ? "churned" : "stayed")).ToList();
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', named) + "\n");

        await host.DropAsync(model, "named.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(bytes)));

        Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);
        var card = await BlobJson.DownloadAsync<ModelCard>(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryCard(model, 1)), CancellationToken.None);
        Assert.Equal(["stayed", "churned"], card.ClassLabels!);

        // The request carries CSV cells as JSON strings (numbers, yes/no, the extra customer_id): the contract reads them like ingest.
        var header = named[0].Split(',');
        var rows = named.Skip(1).Take(200).Select(line => header.Zip(line.Split(',')).Where(p => p.First != "churned").ToDictionary(p => p.First, p => p.Second)).ToList();
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(JsonSerializer.Serialize(new { rows }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!;

        Assert.All(body.Predictions, p => Assert.Contains(p.Label, new[] { "churned", "stayed" }));
        Assert.Contains(body.Predictions, p => p.Label == "churned");
        Assert.Contains(body.Predictions, p => p.Label == "stayed");

        // What ingest refuses, predict refuses too, with a 400 naming the field.
        var first = JsonSerializer.Serialize(rows[0]);
        foreach (var (field, bad) in new[]
        {
            ("contract", first.Replace("\"contract\":\"", "\"contract\":\"weekly-", StringComparison.Ordinal)),
            ("tenure_months", first.Replace("\"tenure_months\":\"", "\"tenure_months\":\"9999", StringComparison.Ordinal)),
            ("support_calls", first.TrimEnd('}') + ",\"support_calls\":\"1\"}"),
        })
        {
            var refused = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent($"{{\"rows\":[{bad}]}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!;
            Assert.Equal(field, Assert.Single(errors).Field);
        }
    }

    [Fact]
    public async Task Single_class_and_too_little_data_are_quarantined_with_the_reason()
    {
        var model = Azurite.UniqueModel("small");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var lines = Lines(Samples.Csv(500, seed: 62));

        var oneClass = Encoding.UTF8.GetBytes(string.Join('\n', lines.Select((line, i) => i == 0 ? line : Relabel(line, _ => "false"))) + "\n");
        await host.DropAsync(model, "one-class.csv", oneClass);
        var single = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(oneClass)));
        Assert.Equal(RunOutcomes.Quarantined, single.Result?.Outcome);
        Assert.Contains(ContractRules.SingleClass, single.Result!.Ingest.Reason, StringComparison.Ordinal);
        Assert.Contains("'false'", single.Result.Ingest.Reason, StringComparison.Ordinal);

        var tenRows = Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(11)) + "\n");
        await host.DropAsync(model, "ten-rows.csv", tenRows);
        var small = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Sha(tenRows)));
        Assert.Equal(RunOutcomes.Quarantined, small.Result?.Outcome);
        Assert.Contains(ContractRules.TooLittleData, small.Result!.Ingest.Reason, StringComparison.Ordinal);
        Assert.Contains("10 valid rows (need 100)", small.Result.Ingest.Reason, StringComparison.Ordinal);

        var report = await BlobJson.DownloadAsync<ValidationReport>(
            host.Storage.Quarantine.GetBlobClient(BlobLayout.QuarantinePrefix(model, Sha(tenRows)) + BlobLayout.ReportName), CancellationToken.None);
        Assert.Equal(ContractRules.TooLittleData, Assert.Single(report.FileProblems).Rule);
        var details = await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Empty(details!.Versions);
    }

    private static List<string> Lines(byte[] csv) => Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    // The label is the last column of the churn sample.
    private static string Relabel(string line, Func<string, string> label)
    {
        var cut = line.LastIndexOf(',');
        return line[..(cut + 1)] + label(line[(cut + 1)..]);
    }

    private static string Sha(byte[] bytes) => ContentHash.Sha256Hex(new MemoryStream(bytes));
}
