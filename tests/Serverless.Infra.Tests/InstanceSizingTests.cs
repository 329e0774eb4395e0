using System.Text.Json.Nodes;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;

namespace Serverless.Infra.Tests;

/// <summary>The template evaluated with the default and with the larger sizes of the Functions instance and the trainer job.</summary>
public sealed class InstanceSizingSnapshots : IAsyncLifetime
{
    public TemplateSnapshot Defaults { get; private set; } = null!;
    public TemplateSnapshot Larger { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var defaults = TemplateSnapshot.CreateAsync(new Dictionary<string, string>());
        var larger = TemplateSnapshot.CreateAsync(new Dictionary<string, string> { ["apiInstanceMemoryMB"] = "4096", ["trainerMaxExecutions"] = "8" });
        Defaults = await defaults;
        Larger = await larger;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// compute auto decides from the memory of the instance the activity runs on (TrainingRoutingOptions.InstanceMemoryMb):
/// that figure must be the plan's own, or a 4096 MB deployment would send mid-size data to the job for nothing (or a
/// 2048 MB one train too much in the activity). An N-replica MLP run needs N trainer executions at once.
/// </summary>
public sealed class InstanceSizingTests(InstanceSizingSnapshots s) : IClassFixture<InstanceSizingSnapshots>
{
    [Fact]
    public void Routing_reads_the_function_apps_own_instance_memory()
    {
        foreach (var (snapshot, expected) in new[] { (s.Defaults, 2048), (s.Larger, 4096) })
        {
            var site = Assert.Single(snapshot.OfType("Microsoft.Web/sites"));
            Assert.Equal(expected, (int)site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["instanceMemoryMB"]!);
            var settings = snapshot.OfType("Microsoft.Web/sites/config").Single(c => ((string)c["name"]!).EndsWith("/appsettings", StringComparison.Ordinal));
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)settings["properties"]![$"{TrainingRoutingOptions.Section}__{nameof(TrainingRoutingOptions.InstanceMemoryMb)}"]!);
        }

        // The options' own default is the template's default instance size.
        Assert.Equal(2048, new TrainingRoutingOptions().InstanceMemoryMb);
    }

    [Fact]
    public void The_trainer_job_runs_as_many_executions_at_once_as_it_is_given_up_to_the_most_replicas_a_spec_may_ask()
    {
        Assert.Equal(4, MaxExecutions(s.Defaults));
        Assert.Equal(8, MaxExecutions(s.Larger));

        var main = File.ReadAllText(Repo.Path("infra", "main.bicep"));
        Assert.Contains($"@maxValue({ModelSpecLimits.MaxReplicas})\nparam trainerMaxExecutions int", main.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static int MaxExecutions(TemplateSnapshot snapshot) =>
        (int)Assert.Single(snapshot.OfType("Microsoft.App/jobs"))["properties"]!["configuration"]!["eventTriggerConfig"]!["scale"]!["maxExecutions"]!;
}
