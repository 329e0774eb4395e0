using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.App.Intake;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary><c>GET /api/runs/{id}/logs</c> on the real local host: what the steps and the trainer job wrote, in order, paged by cursor.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class RunLogsEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_trained_runs_log_has_its_ingest_training_and_gate_lines_in_step_order_and_pages_by_cursor()
    {
        var model = Azurite.UniqueModel("logs");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        // One row breaks the contract (tenure below its minimum): dropped, and the log says which and why.
        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Samples.Csv(600, seed: 61)) + "C999999,-5,72.61,2163.42,month-to-month,mailed-check,fiber,1,yes,0,west,false\n");
        await host.DropAsync(model, "logs.csv", bytes);
        var runId = DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal("Completed", (await host.WaitForRunAsync(runId)).Status);

        // The promote step's lines are stored before its result, so they are there once the run completes.
        var whole = await PageAsync(runId, "limit=1000");
        Assert.False(whole.More);
        Assert.Equal("Completed", whole.RunStatus);
        var lines = whole.Lines;
        var steps = lines.Select(l => l.Step).Distinct().ToList();
        Assert.Equal([PipelineSteps.Ingest, PipelineSteps.Train, PipelineSteps.Evaluate, PipelineSteps.Register, PipelineSteps.Promote], steps);
        Assert.All(lines, l => Assert.Equal(RunLogSources.Activity, l.Source));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Ingest && l.Message.StartsWith("Read logs.csv: 601 rows, 600 kept, 1 dropped", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Ingest && l.Level == RunLogLevels.Warning && l.Message.Contains("column tenure_months", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Train && l.Message.StartsWith("Training set: 600 rows, 10 features, label churned", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Train && l.Message.StartsWith("Holdout (", StringComparison.Ordinal) && l.Message.Contains("auc ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Evaluate && l.Message.StartsWith("Gate check ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Evaluate && l.Message.StartsWith("Gate passed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Step == PipelineSteps.Promote && l.Message.Contains("to champion", StringComparison.Ordinal));
        Assert.Equal(lines.Select(l => l.At).Order(), lines.Select(l => l.At));

        // Three at a time along the cursor: the same lines, each once.
        var paged = new List<RunLogLine>();
        long after = 0;
        for (var page = 0; page < 100; page++)
        {
            var next = await PageAsync(runId, $"after={after}&limit=3");
            Assert.True(next.Lines.Count <= 3);
            paged.AddRange(next.Lines);
            after = next.Next;
            if (!next.More) break;
        }

        Assert.Equal(lines, paged);
        Assert.Empty((await PageAsync(runId, $"after={after}")).Lines);

        // Bad cursors and limits name their field; unknown runs are 404; the log is an admin route.
        Assert.Equal(["after", "limit"], await BadFieldsAsync($"/api/runs/{runId}/logs?after=abc&limit=0"));
        Assert.Equal(["after"], await BadFieldsAsync($"/api/runs/{runId}/logs?after={after - 1}"));
        Assert.Equal(["limit"], await BadFieldsAsync($"/api/runs/{runId}/logs?limit=1001"));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/runs/{model}-nosuchrun/logs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.GetAsync($"/api/runs/{runId}/logs")).StatusCode);
    }

    [Fact]
    public async Task A_run_trained_on_the_job_has_the_jobs_lines_with_per_epoch_loss_after_the_dispatch()
    {
        var model = Azurite.UniqueModel("joblogs");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s =>
            s["trainer"] = JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 8, "epochs": 4, "batchSize": 128}}""")));
        var bytes = Samples.Csv(800, seed: 62);
        await host.DropAsync(model, "job.csv", bytes);
        var runId = DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var run = await host.WaitForRunAsync(runId);
        Assert.True(run.Status == "Completed", run.Error ?? run.Progress?.Error);

        var lines = (await PageAsync(runId, "limit=1000")).Lines.ToList();
        var dispatch = lines.FindIndex(l => l.Step == PipelineSteps.Dispatch && l.Message.StartsWith("Handed to the trainer job", StringComparison.Ordinal));
        Assert.True(dispatch >= 0, string.Join("\n", lines.Select(l => $"{l.Step} {l.Source} {l.Message}")));
        var job = lines.Where(l => l.Source == RunLogSources.Job).ToList();
        Assert.All(job, l => Assert.Equal(PipelineSteps.Train, l.Step));
        Assert.Contains(job, l => l.Message.StartsWith("Training set: 800 rows", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3, 4], job.Where(l => l.Message.Contains(" epoch ", StringComparison.Ordinal) && l.Message.Contains("train loss", StringComparison.Ordinal)).Select(EpochOf));
        Assert.Contains(job, l => l.Message.StartsWith("Loss curve: 4 epochs", StringComparison.Ordinal));
        Assert.True(lines.IndexOf(job[0]) > dispatch);
        Assert.True(lines.FindIndex(l => l.Step == PipelineSteps.Evaluate) > lines.IndexOf(job[^1]));
    }

    private static int EpochOf(RunLogLine line)
    {
        var words = line.Message.Split(' ');
        return int.Parse(words[Array.IndexOf(words, "epoch") + 1].TrimEnd(':'), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<RunLogPage> PageAsync(string runId, string query)
    {
        var response = await host.Http.GetAsync($"/api/runs/{runId}/logs?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunLogPage>(PlatformJson.Options))!;
    }

    private async Task<List<string?>> BadFieldsAsync(string path)
    {
        var response = await host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
    }
}
