using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>The scorer serves the platform's predict API exactly as the local host (and so Functions) does.</summary>
[Collection(ScorerCollection.Name)]
public sealed class ScorerApiTests(ScorerFixture host)
{
    [Fact]
    public async Task Health_is_open_and_scoring_routes_need_the_api_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsync($"/api/models/{host.Model}/predict", Json("""{"rows":[{"x":1}]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync($"/api/models/{host.Model}")).StatusCode);

        var wrong = new HttpRequestMessage(HttpMethod.Get, $"/api/models/{host.Model}");
        wrong.Headers.Add("x-api-key", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task The_same_requests_get_the_same_answers_as_from_the_local_host()
    {
        var many = "{\"rows\":[" + string.Join(',', Enumerable.Repeat("{\"x\":1}", ScorerFixture.MaxRows + 1)) + "]}";
        var huge = "{\"rows\":[{\"x\":1}],\"pad\":\"" + new string('a', ScorerFixture.MaxBodyBytes) + "\"}";
        var cases = new (string Path, string Body, HttpStatusCode Status)[]
        {
            ($"/api/models/{host.Model}/predict", """{"rows":[{"x":0.5,"color":"red"},{"x":-1,"color":null},{"x":2},{"x":0,"color":"purple"}]}""", HttpStatusCode.OK),
            ($"/api/models/{host.Model}/predict", """{"rows":""", HttpStatusCode.BadRequest),
            ($"/api/models/{host.Model}/predict", """{"items":[]}""", HttpStatusCode.BadRequest),
            ($"/api/models/{host.Model}/predict", """{"rows":[]}""", HttpStatusCode.BadRequest),
            ($"/api/models/{host.Model}/predict", """{"rows":[{"x":"a","color":3,"zzz":1},{},7]}""", HttpStatusCode.BadRequest),
            ($"/api/models/{host.Model}/predict", many, HttpStatusCode.RequestEntityTooLarge),
            ($"/api/models/{host.Model}/predict", huge, HttpStatusCode.RequestEntityTooLarge),
            ($"/api/models/{Azurite.UniqueModel("nosuch")}/predict", """{"rows":[{"x":1}]}""", HttpStatusCode.NotFound),
            ("/api/models/Not_A_Name/predict", """{"rows":[{"x":1}]}""", HttpStatusCode.BadRequest),
        };

        foreach (var (path, body, status) in cases)
        {
            var (scorerStatus, scorerBody) = await SendAsync(host.Scorer, path, body);
            var (localStatus, localBody) = await SendAsync(host.Local, path, body);
            Assert.True(status == scorerStatus, $"{path} {body[..Math.Min(60, body.Length)]}: scorer {scorerStatus}, expected {status}: {scorerBody}");
            Assert.Equal(localStatus, scorerStatus);
            Assert.Equal(localBody, scorerBody);
        }

        var details = await host.Scorer.GetStringAsync($"/api/models/{host.Model}");
        Assert.Equal(await host.Local.GetStringAsync($"/api/models/{host.Model}"), details);
        Assert.Equal("binary", JsonNode.Parse(details)!["spec"]!["task"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_rows()
    {
        var requests = Enumerable.Range(0, 64).Select(i =>
            "{\"rows\":[" + string.Join(',', Enumerable.Range(0, 1 + (i % 5)).Select(r => $"{{\"x\":{(i * 0.03) - 1 + (r * 0.2):F2},\"color\":\"blue\"}}")) + "]}").ToList();
        var expected = new List<string>();
        foreach (var body in requests) expected.Add((await SendAsync(host.Local, $"/api/models/{host.Model}/predict", body)).Body);

        var actual = await Task.WhenAll(requests.Select(body => SendAsync(host.Scorer, $"/api/models/{host.Model}/predict", body)));
        Assert.All(actual, a => Assert.Equal(HttpStatusCode.OK, a.Status));

        // The scorer batches concurrent requests, the local host scores each alone: the same rows, within ONNX
        // Runtime's batch-shape noise (ScoreAssert), in each request's own order.
        for (var i = 0; i < requests.Count; i++)
        {
            var (want, got) = (Parse(expected[i]), Parse(actual[i].Body));
            Assert.Equal((want.Model, want.Version, want.Predictions.Count), (got.Model, got.Version, got.Predictions.Count));
            for (var r = 0; r < want.Predictions.Count; r++)
            {
                ScoreAssert.Close(want.Predictions[r].Score, got.Predictions[r].Score, $"request {i} row {r}");
                ScoreAssert.SameLabel(want.Predictions[r].Label, got.Predictions[r].Label, Math.Abs(want.Predictions[r].Score!.Value - 0.5));
            }
        }

        static PredictResponse Parse(string body) => JsonSerializer.Deserialize<PredictResponse>(body, PlatformJson.Options)!;
    }

    [Fact]
    public async Task A_promotion_is_hot_swapped_in()
    {
        var model = Azurite.UniqueModel("swap");
        await TinyModel.RegisterAsync(host.Storage, model);
        Assert.Equal(1, await VersionServedAsync(model));

        await new ModelRegistry(host.Storage, TimeProvider.System).SetAliasAsync(model, ModelAliases.Champion, 2, "test", CancellationToken.None);
        await Eventually.TrueAsync(async () => await VersionServedAsync(model) == 2, TimeSpan.FromSeconds(10), "version 2 to be served");
    }

    private async Task<int> VersionServedAsync(string model)
    {
        var (status, body) = await SendAsync(host.Scorer, $"/api/models/{model}/predict", """{"rows":[{"x":1}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(body)!["version"]!.GetValue<int>();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Status and body with the per-call parts (prediction ids, trace ids) blanked, so hosts compare equal.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string path, string body)
    {
        var response = await client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, Normalize(JsonNode.Parse(text))?.ToJsonString() ?? text);
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in new[] { "id", "traceId" })
                {
                    if (o.ContainsKey(key)) o[key] = "*";
                }

                foreach (var (_, child) in o) Normalize(child);
                break;
            case JsonArray a:
                foreach (var child in a) Normalize(child);
                break;
        }

        return node;
    }
}
