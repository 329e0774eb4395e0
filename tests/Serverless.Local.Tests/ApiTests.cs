using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Request handling that needs no trained model: auth, validation, limits, unknowns.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ApiTests(LocalHostFixture host)
{
    /// <summary>Issue #12 item 8: every route, with no key, the scoring key, the admin key and a wrong key.</summary>
    public static TheoryData<string, string, string> Routes => new()
    {
        // method, path, role: "anonymous" | "scoring" | "admin"
        { "GET", "/api/health", "anonymous" },
        { "GET", "/api/schemas/model.json", "anonymous" },
        { "GET", "/api/openapi.json", "anonymous" },
        { "GET", "/api/docs", "anonymous" },
        { "GET", "/api/models", "scoring" },
        { "GET", "/api/models/x", "scoring" },
        { "POST", "/api/models/x/predict", "scoring" },
        { "POST", "/api/models/x/feedback", "scoring" },
        { "PUT", "/api/models/x", "admin" },
        { "POST", "/api/models/x/versions/1/promote", "admin" },
        { "POST", "/api/models/x/runs", "admin" },
        { "GET", "/api/runs/x", "admin" },
        { "GET", "/api/models/x/labeling", "admin" },
        { "GET", "/api/models/x/monitoring", "admin" },
        { "POST", "/api/models/x/monitoring/check", "admin" },
        { "GET", "/api/models/x/monitoring/reports", "admin" },
        { "GET", "/api/models/x/monitoring/reports/20261207T010000000Z", "admin" },
        { "GET", "/api/features", "admin" },
        { "GET", "/api/features/x", "admin" },
        { "POST", "/api/features/x/push", "admin" },
        { "GET", "/metrics", "admin" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_answers_each_key_by_its_role(string method, string path, string role)
    {
        var expected = new Dictionary<string, string>
        {
            ["none"] = role == "anonymous" ? "through" : "401",
            ["wrong"] = role == "anonymous" ? "through" : "401",
            ["scoring"] = role == "admin" ? "403" : "through",
            ["admin"] = "through",
        };
        foreach (var (credential, want) in expected)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (credential == "wrong") request.Headers.Add(ApiKeyFilter.Header, "not-the-key");
            var client = credential switch { "scoring" => host.Scoring, "admin" => host.Http, _ => host.Anonymous };
            var response = await client.SendAsync(request);

            // "through": the handler answered (200, or its own 400/404 for the made-up model), not the role check.
            var status = (int)response.StatusCode;
            var got = status is 401 or 403 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "through";
            Assert.True(want == got, $"{method} {path} with {credential} key: {status}, expected {want}");
        }
    }

    [Theory]
    [InlineData("evil.example:{port}", HttpStatusCode.BadRequest)]
    [InlineData("localhost.evil.example:{port}", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1:1", HttpStatusCode.BadRequest)]
    [InlineData("localhost:{port}", HttpStatusCode.OK)]
    [InlineData("LOCALHOST:{port}", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:{port}", HttpStatusCode.OK)]
    [InlineData("[::1]:{port}", HttpStatusCode.OK)]
    public async Task Requests_naming_another_host_are_refused(string hostHeader, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Host = hostHeader.Replace("{port}", host.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(expected, (await host.Anonymous.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_invalid_spec_is_rejected_with_every_problem_listed()
    {
        var response = await host.Http.PutAsync("/api/models/specs-test", Body("""
            {"task":"binary","label":"y","features":[{"name":"a","type":"numeric","min":5,"max":1},{"name":"a","type":"numeric"}],
             "holdout":{"fraction":1.5},"gates":{"thresholds":[{"metric":"rmse","min":1}]}}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!;
        Assert.True(errors.Problems!.Count >= 4, string.Join("\n", errors.Problems!));
        Assert.Contains(errors.Problems!, p => p.Path.Contains("holdout", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors.Problems!, p => p.Path.Contains("gates", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors.Problems!, p => p.Message.Contains("uplicate", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/models/specs-test")).StatusCode);

        var malformed = await host.Http.PutAsync("/api/models/specs-test", Body("{\"task\":"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_spec_with_typos_and_null_sections_is_rejected_naming_each()
    {
        var spec = Samples.SpecJson(s =>
        {
            s["postiveClass"] = "Y";
            s["features"]![0]!["type"] = "nmeric";
            s["monitoring"] = null;
            s["serving"] = "gpu";
        });
        var response = await host.Http.PutAsync("/api/models/specs-typos", Body(spec));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!;
        Assert.Equal(["$.features[0].type", "$.monitoring", "$.postiveClass", "$.serving"], errors.Problems!.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains(errors.Problems!, p => p.Message == "Unknown key 'postiveClass'; did you mean 'positiveClass'?");
        Assert.Contains(errors.Problems!, p => p.Message == "type must be one of numeric, categorical, boolean; got 'nmeric'.");
    }

    [Fact]
    public async Task The_spec_schema_is_served_without_a_key()
    {
        var response = await host.Anonymous.GetAsync("/api/schemas/model.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(File.ReadAllText(Path.Combine(Azurite.FindRoot(), "schemas", "model.schema.json")), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_stored_spec_is_reported_as_409_not_500()
    {
        // Written past the API, as a user with storage access (or an older version) could.
        var model = Azurite.UniqueModel("badspec");
        var stored = Samples.SpecJson(s => s["monitoring"] = System.Text.Json.Nodes.JsonNode.Parse("""{"driftSchedule": "every hour", "drift": null}"""));
        await host.Storage.Models.GetBlobClient(Serverless.Core.Storage.BlobLayout.SpecBlob(model)).UploadAsync(new BinaryData(stored), overwrite: true);

        var feedback = await host.Http.PostAsync($"/api/models/{model}/feedback", Body("""[{"predictionId": "x", "label": "true"}]"""));
        Assert.Equal(HttpStatusCode.Conflict, feedback.StatusCode);
        var errors = (await feedback.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!;
        Assert.Equal(["$.monitoring.drift", "$.monitoring.driftSchedule"], errors.Problems!.Select(p => p.Path).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.Conflict, (await host.Http.GetAsync($"/api/models/{model}/monitoring")).StatusCode);

        var details = (await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options))!;
        Assert.Null(details.Spec);
        Assert.Equal(2, details.SpecProblems!.Count);

        var check = await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("driftSchedule", await check.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_feedback_file_for_a_model_with_an_invalid_stored_spec_is_reported_not_thrown()
    {
        var model = Azurite.UniqueModel("badfb");
        await host.Storage.Models.GetBlobClient(Serverless.Core.Storage.BlobLayout.SpecBlob(model))
            .UploadAsync(new BinaryData(Samples.SpecJson(s => s["monitoring"] = null)), overwrite: true);
        var drop = Serverless.Core.Storage.BlobLayout.IncomingBlob(model, "labels.csv");
        await host.Storage.Feedback.GetBlobClient(drop).UploadAsync(new BinaryData("predictionId,label\nx,true\n"u8.ToArray()), overwrite: true);

        // The host's own scanner may take the file first; either way the report lands in processed/.
        await host.Services.GetRequiredService<Serverless.App.Intake.FeedbackIntake>().HandleAsync(drop, CancellationToken.None);
        var report = await Eventually.UntilAsync(async () =>
        {
            await foreach (var blob in host.Storage.Feedback.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"{model}/processed/" }))
            {
                if (blob.Name.EndsWith(".report.json", StringComparison.Ordinal))
                {
                    return (await host.Storage.Feedback.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                }
            }

            return null;
        }, TimeSpan.FromSeconds(30), "the feedback report");
        Assert.Contains("invalid-spec", report);
        Assert.Contains("$.monitoring", report);
    }

    [Fact]
    public async Task A_valid_spec_is_stored_and_listed()
    {
        var model = Azurite.UniqueModel("spec");
        await host.PutSpecAsync(model, Samples.SpecJson());

        var details = await host.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Equal("churned", details!.Spec!.Label);
        Assert.Empty(details.Versions);
        var models = await host.Http.GetFromJsonAsync<List<ModelSummary>>("/api/models", PlatformJson.Options);
        Assert.Contains(models!, m => m.Model == model && m.HasSpec && m.Champion is null);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a_b")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("-lead")]
    public async Task Invalid_model_names_are_400(string name)
    {
        var response = await host.Http.PostAsync($"/api/models/{name}/predict", Body("""{"rows":[{}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Predict_rejects_bad_bodies_with_specific_errors()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync("/api/models/no-such-model/predict", Body("""{"rows":[{"a":1}]}"""))).StatusCode);

        var malformed = await host.Http.PostAsync("/api/models/any/predict", Body("""{"rows":[{"a":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var deep = await host.Http.PostAsync("/api/models/any/predict", Body(new string('[', 100) + new string(']', 100)));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);

        var noRows = await host.Http.PostAsync("/api/models/any/predict", Body("""{"data":[]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, noRows.StatusCode);
        Assert.Contains(((await noRows.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!).Errors!, e => e.Field == "rows");

        var tooMany = "{\"rows\":[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Http.PostAsync("/api/models/any/predict", Body(tooMany))).StatusCode);

        var huge = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Http.PostAsync("/api/models/any/predict", huge)).StatusCode);
    }

    [Fact]
    public async Task Unknown_runs_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/runs/nope-123")).StatusCode);
        var badStart = await host.Http.PostAsync("/api/models/any/runs", Body("""{"datasetVersion":"xyz"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badStart.StatusCode);
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
