using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.App.Intake;
using Serverless.App.Models.Cards;
using Serverless.App.Serving;
using Serverless.Core;
using Serverless.Core.Explanations;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;
using Xunit.Abstractions;

namespace Serverless.Local.Tests;

/// <summary>
/// Model cards after a real pipeline run: <c>GET /api/models/{m}/versions/{v}/card</c> as JSON (lineage, slices that
/// partition the holdout, reliability bins, gate and alias history, limitations), as an HTML page that escapes the
/// owner's text, and as Markdown; and an MLP champion explained by integrated gradients.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ModelCardEndToEndTests(LocalHostFixture host, ITestOutputHelper output)
{
    private const string Xss = "Predicts churn <script>alert('card')</script> & *more*";

    [Fact]
    public async Task A_promoted_version_serves_its_model_card_as_json_html_and_markdown()
    {
        var model = Azurite.UniqueModel("card");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s =>
        {
            s["description"] = Xss;
            s["owner"] = "retention-ml@example.com";
            s["intendedUse"] = "Ranking customers for retention outreach.";
            s["limitations"] = "Synthetic customers only.";
            s["card"] = JsonNode.Parse("""{ "slices": ["contract", "autopay", "region"], "topCategories": 3 }""");
        }));
        var csv = Samples.Csv(2000, seed: 31);
        var sha = Convert.ToHexStringLower(SHA256.HashData(csv));
        await host.DropAsync(model, "customers.csv", csv);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, sha));
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);

        var json = await host.Scoring.GetAsync($"/api/models/{model}/versions/1/card");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        var response = (await json.Content.ReadFromJsonAsync<ModelCardResponse>(PlatformJson.Options))!;
        var card = response.Card;

        Assert.Equal((Xss, "retention-ml@example.com", "Ranking customers for retention outreach."), (card.Description, card.Owner, card.IntendedUse));
        var lineage = card.Lineage!;
        Assert.Equal(sha, lineage.DatasetSha256);
        Assert.Equal("customers.csv", lineage.SourceName);
        Assert.NotNull(lineage.IngestedAt);
        Assert.Equal(run.Result.Ingest.Rows, lineage.IngestedRows);
        Assert.Equal(run.Result.Ingest.DroppedRows, lineage.DroppedRows);
        Assert.Equal(lineage.IngestedRows, card.TrainRows + card.HoldoutRows);
        Assert.Null(lineage.PreviousChampion);

        // Slices: per column, the categories partition the holdout; top 3 kept apart, the rest pooled.
        var slices = card.Slices!;
        foreach (var column in new[] { "contract", "autopay", "region" })
        {
            Assert.Equal(card.HoldoutRows, slices.Where(s => s.Column == column).Sum(s => s.Rows));
        }

        Assert.Equal(["month-to-month", "one-year", "two-year"], slices.Where(s => s.Column == "contract").Select(s => s.Category).Order());
        Assert.Contains(slices, s => s.Column == "region" && s.Category == ModelCardSlices.Other);
        Assert.All(slices, s => Assert.InRange(s.Metrics["accuracy"], 0, 1));
        Assert.All(slices, s => Assert.Equal(s.Rows < ModelCardSlices.MinReliableRows, s.Small));

        var calibration = card.Calibration!;
        Assert.Equal(ModelCardCalibration.Probability, calibration.Kind);
        Assert.Equal(CalibrationCurve.Bins, calibration.Bins.Count);
        Assert.Equal(card.HoldoutRows, calibration.Bins.Sum(b => b.Count));
        Assert.InRange(calibration.ExpectedCalibrationError!.Value, 0, 1);

        Assert.True(card.Gate.Passed);
        var promotion = Assert.Single(response.AliasHistory);
        Assert.Equal((ModelAliases.Champion, 1, (int?)null), (promotion.Alias, promotion.Version, promotion.PreviousVersion));
        Assert.Equal("Synthetic customers only.", card.Limitations!.Stated);
        Assert.Contains(card.Limitations.Measured, f => f.Contains("calibration error", StringComparison.Ordinal));

        // HTML: every section, captioned tables, the owner's text escaped, nothing loaded from elsewhere.
        var page = await Get($"/api/models/{model}/versions/1/card", "text/html");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var heading in new[] { "Overview", "Data lineage", "Metrics", "Calibration", "Feature importance", "Gate history", "Limitations" })
        {
            Assert.Contains($"<h2>{heading}</h2>", html, StringComparison.Ordinal);
        }

        Assert.Contains("<caption>Holdout metrics by contract</caption>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;card&#39;)&lt;/script&gt; &amp; *more*", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);

        // Markdown by ?format= (it wins over Accept), user text escaped.
        var markdown = await Get($"/api/models/{model}/versions/1/card?format=markdown", "application/json");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
        var md = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith($"# Model card: {CardMarkdown.Escape(model)} v1", md, StringComparison.Ordinal);
        Assert.Contains("## Calibration", md, StringComparison.Ordinal);
        Assert.Contains(@"\<script\>alert('card')\</script\> \& \*more\*", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        output.WriteLine(md);

        // Accept with preferences: Markdown preferred over HTML.
        var preferred = await Get($"/api/models/{model}/versions/1/card", "text/html;q=0.5, text/markdown");
        Assert.Equal("text/markdown", preferred.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unknown_versions_models_and_formats_get_specific_errors()
    {
        var unknownModel = await host.Scoring.GetAsync($"/api/models/{Azurite.UniqueModel("nobody")}/versions/1/card");
        Assert.Equal(HttpStatusCode.NotFound, unknownModel.StatusCode);
        Assert.Contains("has no version 1", (await unknownModel.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Detail, StringComparison.Ordinal);

        var html404 = await Get($"/api/models/{Azurite.UniqueModel("nobody")}/versions/7/card", "text/html");
        Assert.Equal(HttpStatusCode.NotFound, html404.StatusCode);

        var format = await host.Scoring.GetAsync("/api/models/any-model/versions/1/card?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Contains("format must be one of json, html, markdown", (await format.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Detail, StringComparison.Ordinal);

        var anonymous = await host.Anonymous.GetAsync("/api/models/any-model/versions/1/card");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_mlp_champion_is_explained_by_integrated_gradients_that_add_up_to_its_logit()
    {
        var model = Azurite.UniqueModel("card-mlp");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s =>
            s["trainer"] = JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 16, "epochs": 10, "batchSize": 128}}""")));
        var csv = Samples.Csv(1500, seed: 32);
        await host.DropAsync(model, "customers.csv", csv);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(csv))));
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);

        var card = (await BlobJson.DownloadAsync<ModelCard>(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryCard(model, 1)), CancellationToken.None))!;
        var gradients = await BlobJson.DownloadAsync<GradientExplainerArtifact>(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryGradients(model, 1)), CancellationToken.None);
        Assert.Equal(card.ModelSha256, gradients.ModelSha256);
        Assert.Contains(gradients.Features.Single(f => f.Name == "contract").BaselineCategory, new[] { "month-to-month", "one-year", "two-year" });
        Assert.Equal(card.HoldoutRows, card.Calibration!.Bins.Sum(b => b.Count));

        var rows = Samples.PredictRows(csv).Take(20).ToList();
        var response = await host.Scoring.PostAsync($"/api/models/{model}/explain", new StringContent(Samples.RowsJson(rows), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"method\":\"integratedGradients\"", text, StringComparison.Ordinal);
        Assert.Contains("\"approximate\":true", text, StringComparison.Ordinal);
        var body = System.Text.Json.JsonSerializer.Deserialize<ExplainResponse>(text, PlatformJson.Options)!;
        Assert.Equal(Links.Logit, body.Link);
        for (var r = 0; r < rows.Count; r++)
        {
            var o = Assert.Single(body.Explanations[r].Outputs);
            Assert.Equal(card.Inputs.Select(i => i.Name), o.Attributions.Keys);
            Assert.True(Math.Abs(o.CompletenessGap!.Value) <= 1e-9 * Math.Max(1, Math.Abs(o.Margin - o.ExpectedValue)), $"row {r}: gap {o.CompletenessGap}");

            // The margin is the logit of the probability predict serves (ONNX Runtime, float32).
            Assert.Equal(body.Predictions[r].Score!.Value, body.Calibration!.Probability(o.Margin), 1e-4);
        }
    }

    private Task<HttpResponseMessage> Get(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return host.Scoring.SendAsync(request);
    }
}
