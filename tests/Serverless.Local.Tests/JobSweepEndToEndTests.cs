using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Sweeps whose run trains on the trainer job: every trial is a queue message to the local host's in-process job
/// worker, its score relayed back as the trial's event, and the job refits the winner.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class MlpSweepEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task An_mlp_sweep_with_asha_over_epochs_runs_its_trials_on_the_job_and_the_job_refits_the_winner()
    {
        var model = Azurite.UniqueModel("mlpsweep");
        await host.PutSpecAsync(model, Samples.SpecJson(s =>
        {
            s["trainer"] = JsonNode.Parse("""{"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 16, "epochs": 9, "batchSize": 128}}""");
            s["search"] = JsonNode.Parse("""
                {
                  "space": {
                    "learningRate": { "type": "logUniform", "min": 0.002, "max": 0.05 },
                    "hiddenUnits": { "type": "choice", "values": [8, 32] }
                  },
                  "trials": 6, "concurrency": 3, "strategy": "asha", "seed": 4
                }
                """);
        }));
        var bytes = Samples.Csv(1500, seed: 171);

        await host.DropAsync(model, "mlpsweep.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", run.Error ?? run.Progress?.Error);
        var sweep = run.Result!.Sweep!;

        // 9 epochs, η = 3, from 1: rungs of 1, 3 and 9 epochs with 6, 2 and 1 trials, all fitted on the job.
        Assert.Equal([6, 2, 1], Enumerable.Range(0, 3).Select(r => sweep.Trials.Count(t => t.Rungs.Any(g => g.Rung == r))));
        Assert.Equal([1, 3, 9], Assert.Single(sweep.Trials, t => t.Status == TrialStatuses.Completed).Rungs.Select(r => r.Resource!.Value));
        Assert.All(sweep.Trials.SelectMany(t => t.Rungs), r => Assert.Equal((TrainingPlacement.Job, "cpu"), (r.Where, r.Device)));
        Assert.All(sweep.Trials.SelectMany(t => t.Rungs), r => Assert.InRange(r.Metric!.Value, 0.4, 1.0));
        var best = sweep.Trials.SelectMany(t => t.Rungs.Select(r => (t.Trial, r.Resource, r.Metric))).OrderByDescending(x => x.Metric).ThenBy(x => x.Trial).First();
        Assert.Equal((best.Trial, best.Metric), (sweep.Summary.BestTrial, sweep.Summary.BestMetric));
        Assert.Equal(best.Resource!.Value, sweep.Summary.BestParameters[SearchSpec.EpochsResource]);
        Assert.EndsWith("; trials on the job", run.Progress!.Steps.Single(s => s.Step == PipelineSteps.Sweep).Detail, StringComparison.Ordinal);
        Assert.StartsWith("job: ", run.Progress.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);

        // The job refitted the winner (its epochs and network), and the card carries the trial table's head.
        var card = (await host.Services.GetRequiredService<ModelRegistry>().GetCardAsync(model, 1, CancellationToken.None))!;
        Assert.Equal("MlpBinary", card.TrainerParameters["trainer"]);
        Assert.Equal(best.Resource.Value.ToString(CultureInfo.InvariantCulture), card.TrainerParameters["epochs"]);
        Assert.Equal(sweep.Summary.BestParameters["hiddenUnits"].ToString(CultureInfo.InvariantCulture), card.TrainerParameters["hiddenUnits"]);
        Assert.Equal(sweep.Summary.BestParameters["learningRate"], double.Parse(card.TrainerParameters["learningRate"], CultureInfo.InvariantCulture));
        Assert.Equal((sweep.Summary.BestTrial, "asha", TrainingPlacement.Job), (card.Sweep!.BestTrial, card.Sweep.Strategy, card.Sweep.Where));

        // Every trial's score is stored with the run, once per rung.
        var markers = 0;
        await foreach (var _ in host.Storage.Runs.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"{model}/{run.Result.RunId}/sweep/" })) markers++;
        Assert.Equal(9, markers);
    }
}

/// <summary>A tree sweep whose data is over the activity budget (one byte here): its trials go to the job too.</summary>
public sealed class RoutedSweepEndToEndTests(TinyBudgetHost fixture) : IClassFixture<TinyBudgetHost>
{
    [Fact]
    public async Task A_tree_sweep_on_data_routed_to_the_job_runs_its_trials_on_the_job()
    {
        var host = fixture.Host;
        var model = Azurite.UniqueModel("routedsweep");
        await host.PutSpecAsync(model, Samples.SpecJson(s => s["search"] = JsonNode.Parse(SweepEndToEndTests.Search)));
        var bytes = Samples.Csv(1500, seed: 172);

        await host.DropAsync(model, "routedsweep.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", run.Error ?? run.Progress?.Error);
        Assert.Equal(TrainingPlacement.Job, run.Result!.Ingest.Placement!.Where);
        var sweep = run.Result.Sweep!;
        Assert.Equal(6, sweep.Trials.Count);
        Assert.All(sweep.Trials, t => Assert.Equal(TrialStatuses.Completed, t.Status));
        Assert.All(sweep.Trials, t => Assert.Equal(TrainingPlacement.Job, Assert.Single(t.Rungs).Where));
        Assert.Equal(TrainingPlacement.Job, sweep.Summary.Where);

        var card = (await host.Services.GetRequiredService<ModelRegistry>().GetCardAsync(model, 1, CancellationToken.None))!;
        Assert.Equal(sweep.Summary.BestParameters["numberOfLeaves"].ToString(CultureInfo.InvariantCulture), card.TrainerParameters["numberOfLeaves"]);
        Assert.Equal(TrainingPlacement.Job, card.Placement!.Where);
    }
}
