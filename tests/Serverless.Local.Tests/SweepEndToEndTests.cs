using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class SweepEndToEndTests(LocalHostFixture host)
{
    /// <summary>Metrics of the orchestrated and the in-process sweep are the same computation on the same rows; allow float noise only.</summary>
    private const double Tolerance = 1e-9;

    internal static readonly string Search = """
        {
          "space": {
            "learningRate": { "type": "logUniform", "min": 0.02, "max": 0.3 },
            "numberOfLeaves": { "type": "int", "min": 4, "max": 32 },
            "minimumExampleCountPerLeaf": { "type": "choice", "values": [5, 20, 50] }
          },
          "trials": 6,
          "concurrency": 3,
          "seed": 3
        }
        """;

    [Fact]
    public async Task A_sweep_run_refits_the_best_trial_and_its_table_equals_the_in_process_sweep()
    {
        var model = Azurite.UniqueModel("sweep");
        var specJson = Samples.SpecJson(s => s["search"] = JsonNode.Parse(Search));
        await host.PutSpecAsync(model, specJson);
        var bytes = Samples.Csv(3000, seed: 31);

        await host.DropAsync(model, "sweep.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", run.Error ?? run.Progress?.Error);
        Assert.Equal(RunOutcomes.Promoted, run.Result!.Outcome);
        Assert.Equal([PipelineSteps.Ingest, PipelineSteps.Sweep, PipelineSteps.Train, PipelineSteps.Evaluate, PipelineSteps.Register, PipelineSteps.Promote],
            run.Progress!.Steps.Select(s => s.Step));
        var sweep = run.Result.Sweep!;
        Assert.Equal(6, sweep.Trials.Count);
        Assert.All(sweep.Trials, t => Assert.Equal(TrialStatuses.Completed, t.Status));
        Assert.Equal(sweep.Trials.Max(t => t.Rungs[0].Metric), sweep.Summary.BestMetric);

        // The same sweep in this process on the same rows: the same settings, the same metrics, the same winner.
        var spec = ModelSpecValidator.Parse(specJson).Spec!;
        var data = DatasetContract.Validate(new MemoryStream(bytes), "x.csv", spec, CancellationToken.None).Data!;
        var local = new SweepRunner().Run(spec, data);
        Assert.Equal(local.Summary.BestTrial, sweep.Summary.BestTrial);
        foreach (var (remote, mine) in sweep.Trials.Zip(local.Trials))
        {
            Assert.Equal(mine.Parameters, remote.Parameters);
            Assert.Equal(mine.Rungs[0].Metric!.Value, remote.Rungs[0].Metric!.Value, Tolerance);
        }

        // The champion was fitted with the winner's parameters, and its card says where they came from.
        var card = (await host.Services.GetRequiredService<ModelRegistry>().GetCardAsync(model, 1, CancellationToken.None))!;
        var best = sweep.Summary.BestParameters;
        Assert.Equal(best["learningRate"], double.Parse(card.TrainerParameters["learningRate"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(best["numberOfLeaves"].ToString(System.Globalization.CultureInfo.InvariantCulture), card.TrainerParameters["numberOfLeaves"]);
        Assert.Equal(best["minimumExampleCountPerLeaf"].ToString(System.Globalization.CultureInfo.InvariantCulture), card.TrainerParameters["minimumExampleCountPerLeaf"]);
        Assert.Equal("40", card.TrainerParameters["numberOfTrees"]);
        Assert.Equal(ModelSpecStore.Hash(spec), card.SpecSha256);
        Assert.NotNull(card.Sweep);
        Assert.Equal((sweep.Summary.BestTrial, sweep.Summary.BestMetric, "random", "auc", 6), (card.Sweep.BestTrial, card.Sweep.BestMetric, card.Sweep.Strategy, card.Sweep.Metric, card.Sweep.Trials));

        // Every trial's score is stored with the run, once.
        var markers = new List<string>();
        await foreach (var blob in host.Storage.Runs.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"{model}/{run.Result.RunId}/sweep/" })) markers.Add(blob.Name);
        Assert.Equal(6, markers.Count);
    }

    [Fact]
    public async Task Asha_runs_rungs_as_waves_and_refits_the_best_rungs_setting()
    {
        var model = Azurite.UniqueModel("asha");
        var search = JsonNode.Parse(Search)!.AsObject();
        search["strategy"] = "asha";
        search["trials"] = 9;
        search["minResource"] = 5;
        var specJson = Samples.SpecJson(s => s["search"] = search);
        await host.PutSpecAsync(model, specJson);
        var bytes = Samples.Csv(2000, seed: 32);

        await host.DropAsync(model, "asha.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", run.Error ?? run.Progress?.Error);
        var sweep = run.Result!.Sweep!;

        // 40 trees, η = 3, from 5: rungs of 5, 15 and 40 trees with 9, 3 and 1 trials.
        Assert.Equal([9, 3, 1], Enumerable.Range(0, 3).Select(r => sweep.Trials.Count(t => t.Rungs.Any(g => g.Rung == r))));
        var finalist = Assert.Single(sweep.Trials, t => t.Status == TrialStatuses.Completed);
        Assert.Equal([5, 15, 40], finalist.Rungs.Select(r => r.Resource!.Value));
        Assert.Equal(8, sweep.Trials.Count(t => t.Status == TrialStatuses.StoppedEarly));
        var best = sweep.Trials.SelectMany(t => t.Rungs.Select(r => (t.Trial, r.Resource, r.Metric))).OrderByDescending(x => x.Metric).ThenBy(x => x.Trial).First();
        Assert.Equal((best.Trial, best.Metric), (sweep.Summary.BestTrial, sweep.Summary.BestMetric));
        Assert.Equal(best.Resource!.Value, sweep.Summary.BestParameters[SearchSpec.Resource]);
        Assert.Contains("1 completed, 8 stopped early", run.Progress!.Steps.Single(s => s.Step == PipelineSteps.Sweep).Detail, StringComparison.Ordinal);
    }
}
