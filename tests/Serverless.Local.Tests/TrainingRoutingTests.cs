using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Specs.Routing;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A host whose activity budget is one byte: every <c>compute: auto</c> run is "too big" for the activity, so it goes
/// through the trainer job's queue to the local host's in-process worker, the path 10M-row runs take.
/// </summary>
public sealed class TinyBudgetHost : IAsyncLifetime
{
    private readonly PrivateAzurite _azurite = new(inMemory: true);

    public LocalHostFixture Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        Host = new LocalHostFixture
        {
            ConnectionString = _azurite.ConnectionString,
            ConfigureServices = s => s.Configure<TrainingRoutingOptions>(o => o.ActivityBudget = 1),
        };
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

public sealed class TrainingRoutingTests(TinyBudgetHost fixture) : IClassFixture<TinyBudgetHost>
{
    [Fact]
    public async Task A_tree_model_over_the_activity_budget_trains_on_the_job_through_the_local_worker_and_says_why()
    {
        var host = fixture.Host;
        var model = Azurite.UniqueModel("routed");
        await host.PutSpecAsync(model, Samples.SpecJson()); // lightgbm, no compute: auto
        var bytes = Samples.Csv(1500, seed: 151);

        await host.DropAsync(model, "routed.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", run.Error);
        var placement = run.Result!.Ingest.Placement;
        Assert.NotNull(placement);
        Assert.Equal(TrainingPlacement.Job, placement.Where);
        Assert.Equal(1, placement.BudgetBytes);
        Assert.StartsWith("1,500 rows × 11 columns ≈ ", placement.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" > 1 B budget", placement.Reason, StringComparison.Ordinal);

        // The job path ran: a dispatch, then the train step waited for the worker's result, which names where and why.
        var steps = run.Progress!.Steps;
        var train = steps.Single(s => s.Step == PipelineSteps.Train).Detail!;
        Assert.StartsWith("job: 1,500 rows × 11 columns", train, StringComparison.Ordinal);
        Assert.Contains("on cpu", train, StringComparison.Ordinal);
        Assert.Equal(1, run.Result.Version);

        var card = await host.Services.GetRequiredService<ModelRegistry>().GetCardAsync(model, 1, CancellationToken.None);
        Assert.Equal(placement, card!.Placement);
    }
}
