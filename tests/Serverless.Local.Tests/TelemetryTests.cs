using System.Net;
using System.Text;
using System.Text.Json;
using OpenTelemetry.Metrics;
using Serverless.Core.Runs;
using Serverless.Core.Datasets;
using Serverless.Core.Telemetry;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class TelemetryTests(LocalHostFixture host)
{
    [Fact]
    public async Task Pipeline_steps_are_spans_and_predictions_are_metrics_also_scraped_as_prometheus_text()
    {
        var model = Azurite.UniqueModel("otel");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var bytes = Samples.Csv(1000, seed: 81);
        await host.DropAsync(model, "t.csv", bytes);
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes)));
        var run = await host.WaitForRunAsync(runId);
        Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);

        var steps = host.Spans.Snapshot().Where(a => a.Source.Name == PlatformTelemetry.Name && (string?)a.GetTagItem("run.id") == runId).ToList();
        Assert.Equal(PipelineSteps.All.Select(s => $"pipeline.{s}").Order(), steps.Select(a => a.DisplayName).Order());
        Assert.All(steps, a => Assert.Equal(model, a.GetTagItem("model")));
        Assert.Equal("accepted", steps.Single(a => a.DisplayName == "pipeline.ingest").GetTagItem("outcome"));

        var row = new { tenure_months = 3, monthly_charges = 90.0, total_charges = 270.0, contract = "month-to-month", payment_method = "electronic-check", internet_service = "fiber", support_calls = 3, autopay = false, senior = false, region = "west" };
        var ok = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows = new[] { row, row, row } }));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var bad = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows = new[] { new { tenure_months = "x" } } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        host.FlushMetrics();
        Assert.Equal(3, Sum("serverless.predictions", model));
        Assert.True(Sum("serverless.predict.validation_errors", model) >= 1);
        Assert.Contains(host.Metrics.Snapshot(), m => m.Name == "serverless.pipeline.step.duration");

        var scrape = await host.Http.GetStringAsync("/metrics");
        Assert.Contains("serverless_predictions", scrape);
        Assert.Contains($"model=\"{model}\"", scrape);
    }

    private long Sum(string name, string model)
    {
        long total = 0;
        foreach (var metric in host.Metrics.Snapshot().Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == "model" && (string?)tag.Value == model)
                    {
                        total = Math.Max(total, point.GetSumLong());
                    }
                }
            }
        }

        return total;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
