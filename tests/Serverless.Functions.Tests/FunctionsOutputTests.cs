using System.Text.Json.Nodes;
using Serverless.App;
using Serverless.App.Http;

namespace Serverless.Functions.Tests;

/// <summary>The files next to the worker that the Functions host reads at startup.</summary>
public sealed class FunctionsOutputTests
{
    [Fact]
    public void Extensions_json_loads_the_durable_and_blob_extensions()
    {
        var names = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.OutputDirectory, "extensions.json"))["extensions"]!.AsArray()
            .Select(e => e!["name"]!.GetValue<string>())
            .ToList();
        Assert.Contains("DurableTask", names);
        Assert.Contains("AzureStorageBlobs", names);
    }

    [Fact]
    public void Output_host_json_is_the_repository_root_one()
    {
        var output = File.ReadAllText(Path.Combine(FunctionsBuild.OutputDirectory, "host.json"));
        Assert.Equal(File.ReadAllText(Path.Combine(FunctionsBuild.RepositoryRoot, "host.json")), output);
    }

    [Fact]
    public void Host_json_fits_an_isolated_worker_on_flex_consumption()
    {
        var host = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.RepositoryRoot, "host.json"));
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Null(host["extensionBundle"]);
        Assert.Equal(ApiRoutes.Prefix, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(host["extensions"]!["durableTask"]!["hubName"]?.GetValue<string>()));
        Assert.True(TimeSpan.Parse(host["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Local_settings_sample_runs_the_isolated_worker_on_azurite()
    {
        var values = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.RepositoryRoot, "functions", "local.settings.sample.json"))["Values"]!.AsObject();
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());

        // Every %SETTING% host.json refers to must be defined locally, or `func start` fails to resolve it.
        var host = File.ReadAllText(Path.Combine(FunctionsBuild.RepositoryRoot, "host.json"));
        foreach (var setting in System.Text.RegularExpressions.Regex.Matches(host, "%([A-Za-z0-9_]+)%").Select(m => m.Groups[1].Value))
        {
            Assert.True(values.ContainsKey(setting), $"host.json uses %{setting}% but local.settings.sample.json does not define it.");
        }
    }
}
