using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.App.Intake;
using Serverless.App.Serving;
using Serverless.Core;
using Serverless.Core.Explanations;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Explanations through the platform: training stores <c>explainer.json</c> and global importance with the version,
/// <c>POST /api/models/{m}/explain</c> and <c>predict?explain=true</c> answer exact TreeSHAP per input column that adds
/// up to the margin and, through the stated link, to the served probability.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ExplainEndToEndTests(LocalHostFixture host)
{
    private const double Additivity = 1e-6;

    [Fact]
    public async Task A_trained_tree_champion_explains_its_predictions_per_input_column()
    {
        var model = Azurite.UniqueModel("explain");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var csv = Samples.Csv(3000, seed: 21);
        await host.DropAsync(model, "customers.csv", csv);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(csv))));
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);
        var columns = new[] { "tenure_months", "monthly_charges", "total_charges", "contract", "payment_method", "internet_service", "support_calls", "autopay", "senior", "region" };

        // Stored with the version: the explainer (tied to model.onnx) and global importance in the card.
        var card = (await BlobJson.DownloadAsync<ModelCard>(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryCard(model, 1)), CancellationToken.None))!;
        var explainer = await BlobJson.DownloadAsync<ExplainerArtifact>(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryExplainer(model, 1)), CancellationToken.None);
        Assert.Equal(card.ModelSha256, explainer.ModelSha256);
        Assert.Equal(card.TrainRows, explainer.CoverRows);
        Assert.Equal(columns.Order(), card.GlobalImportance!.Keys.Order());
        Assert.Equal(explainer.GlobalImportance, card.GlobalImportance);
        Assert.True(card.GlobalImportance["contract"] > 0 && card.GlobalImportance["tenure_months"] > 0);
        Assert.Equal("auc", card.PermutationMetric);
        Assert.Equal(columns, card.PermutationImportance!.Keys);
        Assert.True(card.PermutationImportance["contract"] > 0);

        var rows = Samples.PredictRows(csv).Take(25).ToList();
        var response = await host.Scoring.PostAsync($"/api/models/{model}/explain", Json(Samples.RowsJson(rows)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<ExplainResponse>(PlatformJson.Options))!;

        Assert.Equal(1, body.Version);
        Assert.Equal(ExplanationService.Method, body.Method);
        Assert.Equal(rows.Count, body.Predictions.Count);
        Assert.Equal(rows.Count, body.Explanations.Count);
        Assert.Equal(Links.Logit, body.Link);
        for (var r = 0; r < rows.Count; r++)
        {
            var o = Assert.Single(body.Explanations[r].Outputs);
            Assert.Equal(columns, o.Attributions.Keys);
            Assert.True(Math.Abs(o.ExpectedValue + o.Attributions.Values.Sum() - o.Margin) <= Additivity, $"row {r}: E + Σφ ≠ margin");

            // The link maps the margin to the probability predict serves (ONNX Runtime, single precision).
            Assert.Equal(body.Predictions[r].Score!.Value, body.Calibration!.Probability(o.Margin), 1e-5);
        }

        // predict?explain=true: the same attributions beside predict's answer.
        var withPredict = await host.Scoring.PostAsync($"/api/models/{model}/predict?explain=true", Json(Samples.RowsJson(rows)));
        Assert.Equal(HttpStatusCode.OK, withPredict.StatusCode);
        var both = (await withPredict.Content.ReadFromJsonAsync<ExplainResponse>(PlatformJson.Options))!;
        Assert.Equal(body.Predictions.Select(p => p.Score), both.Predictions.Select(p => p.Score));
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(body.Explanations[r].Outputs[0].Attributions, both.Explanations[r].Outputs[0].Attributions);
        }

        // Plain predict is unchanged: no explanations.
        var plain = await host.Scoring.PostAsync($"/api/models/{model}/predict?explain=false", Json(Samples.RowsJson(rows)));
        Assert.DoesNotContain("explanations", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_explain_requests_get_specific_errors()
    {
        var unknown = await host.Scoring.PostAsync($"/api/models/{Azurite.UniqueModel("nobody")}/explain", Json("""{"rows":[{"tenure_months":1}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var empty = await host.Scoring.PostAsync("/api/models/any-model/explain", Json("""{"rows":[]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains((await empty.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!, e => e.Field == "rows");

        var many = await host.Scoring.PostAsync("/api/models/any-model/explain", Json(JsonSerializer.Serialize(new { rows = Enumerable.Range(0, ExplanationService.MaxRows + 1).Select(_ => new { tenure_months = 1 }) })));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, many.StatusCode);

        var flag = await host.Scoring.PostAsync("/api/models/any-model/predict?explain=yes", Json("""{"rows":[{"tenure_months":1}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, flag.StatusCode);
        Assert.Contains((await flag.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!, e => e.Field == "explain");

        // A scoring-role route: no key, no explanation.
        var anonymous = await host.Anonymous.PostAsync("/api/models/any-model/explain", Json("""{"rows":[{"tenure_months":1}]}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_linear_champion_has_no_explainer_and_says_so()
    {
        var model = Azurite.UniqueModel("explain-linear");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s => s["trainer"] = JsonNode("""{ "type": "linear" }""")));
        var csv = Samples.Csv(1500, seed: 22);
        await host.DropAsync(model, "customers.csv", csv);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(csv))));
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);

        var response = await host.Scoring.PostAsync($"/api/models/{model}/explain", Json(Samples.RowsJson(Samples.PredictRows(csv).Take(2))));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has no explainer: exact TreeSHAP covers tree models", (await response.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Detail, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
