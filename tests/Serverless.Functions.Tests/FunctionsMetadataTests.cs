using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless.App;
using System.Text.RegularExpressions;
using Serverless.App.Http;
using Serverless.App.WebConsole;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;
using Serverless.Core.Runs;
using Serverless.Durable.BatchScoring;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Releases;

namespace Serverless.Functions.Tests;

/// <summary>
/// What the Functions host will index, read from the SDK-generated functions.metadata (`func` cannot run here),
/// checked against the lists the local host uses, so the two hosts cannot drift apart.
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>The pipeline's, the releases' and batch scoring's orchestrations and activities: what the local host registers.</summary>
    private static readonly IReadOnlyList<string> Orchestrations = [.. PipelineTasks.Orchestrations, .. ReleaseTasks.Orchestrations, .. BatchScoringRegistration.Orchestrations];

    private static readonly IReadOnlyList<string> Activities = [.. PipelineTasks.Activities, .. ReleaseTasks.Activities, .. BatchScoringRegistration.Activities];

    [Fact]
    public void Every_orchestration_has_an_orchestration_trigger()
    {
        Assert.NotEmpty(PipelineTasks.Orchestrations);
        foreach (var name in Orchestrations)
        {
            Assert.Equal("orchestrationTrigger", FunctionsBuild.Trigger(name)["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Every_activity_has_an_activity_trigger_and_there_are_no_others()
    {
        foreach (var name in Activities)
        {
            Assert.Equal("activityTrigger", FunctionsBuild.Trigger(name)["type"]!.GetValue<string>());
        }

        Assert.Equal(Activities.Order(), FunctionNamesWithTrigger("activityTrigger").Order());
        Assert.Equal(Orchestrations.Order(), FunctionNamesWithTrigger("orchestrationTrigger").Order());
    }

    [Theory]
    [InlineData("DatasetDrop", "datasets/{model}/incoming/{name}", true)]
    [InlineData("FeedbackDrop", "feedback/{model}/incoming/{name}", false)]
    [InlineData("ScoringDrop", "scoring/{model}/incoming/{name}", true)]
    public void Drops_trigger_through_event_grid_on_the_incoming_folders(string name, string path, bool startsRuns)
    {
        var trigger = FunctionsBuild.Trigger(name);
        Assert.Equal("blobTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(path, trigger["path"]!.GetValue<string>());
        Assert.Equal("EventGrid", trigger["source"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
        Assert.Equal(startsRuns, FunctionsBuild.Functions[name].Any(b => b!["type"]!.GetValue<string>() == "durableClient"));
        Assert.Equal(["DatasetDrop", "FeedbackDrop", "ScoringDrop"], FunctionNamesWithTrigger("blobTrigger").Order());
    }

    [Fact]
    public void Gpu_trainer_results_wake_their_runs_through_a_queue_trigger()
    {
        var trigger = FunctionsBuild.Trigger("GpuTrainingResult");
        Assert.Equal("queueTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(Serverless.Core.Training.Remote.GpuQueues.Results, trigger["queueName"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
        Assert.Contains(FunctionsBuild.Functions["GpuTrainingResult"], b => b!["type"]!.GetValue<string>() == "durableClient");
    }

    [Fact]
    public void The_monitoring_timer_fires_every_five_minutes_and_can_start_runs()
    {
        var trigger = FunctionsBuild.Trigger("MonitoringTimer");
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("0 */5 * * * *", trigger["schedule"]!.GetValue<string>());
        Assert.Contains(FunctionsBuild.Functions["MonitoringTimer"], b => b!["type"]!.GetValue<string>() == "durableClient");
    }

    [Fact]
    public void The_feature_materialization_timer_fires_every_fifteen_minutes_and_can_start_orchestrations()
    {
        var trigger = FunctionsBuild.Trigger("FeatureMaterializationTimer");
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("0 */15 * * * *", trigger["schedule"]!.GetValue<string>());
        Assert.Contains(FunctionsBuild.Functions["FeatureMaterializationTimer"], b => b!["type"]!.GetValue<string>() == "durableClient");
    }

    [Fact]
    public void The_incoming_scan_timer_can_start_runs_and_is_on_in_the_local_settings_sample()
    {
        var trigger = FunctionsBuild.Trigger("IncomingScan");
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("*/10 * * * * *", trigger["schedule"]!.GetValue<string>());
        Assert.Contains(FunctionsBuild.Functions["IncomingScan"], b => b!["type"]!.GetValue<string>() == "durableClient");

        // Azurite raises no Event Grid events, so under func start this timer is how drops are seen.
        var sample = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.RepositoryRoot, "functions", "local.settings.sample.json"));
        Assert.Equal("false", sample["Values"]!["AzureWebJobs.IncomingScan.Disabled"]!.GetValue<string>());
    }

    [Fact]
    public void Every_local_host_route_is_an_http_function_with_the_same_method_and_route()
    {
        var prefix = FunctionsBuild.ReadJson(Path.Combine(FunctionsBuild.OutputDirectory, "host.json"))["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();
        var functions = FunctionNamesWithTrigger("httpTrigger")
            .Where(f => f != ConsoleFunctionName)
            .Select(FunctionsBuild.Trigger)
            .Select(t => (
                Route: $"/{prefix}/{t["route"]!.GetValue<string>()}",
                Methods: t["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToList(),
                Auth: t["authLevel"]!.GetValue<string>()))
            .ToList();

        var endpoints = LocalHostEndpoints();
        Assert.Equal(42, endpoints.Count);
        string[] anonymous = [$"/{ApiRoutes.Prefix}/health", $"/{ApiRoutes.Prefix}/{ModelsApi.ModelSchemaRoute}", ApiDocument.Path];
        foreach (var (route, method) in endpoints)
        {
            var match = Assert.Single(functions, f => f.Route == route && f.Methods.Contains(method));
            var expectedAuth = anonymous.Contains(route) ? "Anonymous" : "Function";
            Assert.True(expectedAuth == match.Auth, $"{method} {route}: authLevel {match.Auth}, expected {expectedAuth}.");
        }

        // And nothing reachable in Functions that the local host lacks.
        Assert.Equal(endpoints.Count, functions.Sum(f => f.Methods.Count));
    }

    /// <summary>
    /// Functions checks roles in code (<c>EasyAuth.RunAsync(req, ApiRole.X, …)</c>), so each HTTP function's source must
    /// name the role the local host's route carries (<see cref="RequiresRole"/>), and anonymous routes none.
    /// </summary>
    [Fact]
    public void Every_http_function_checks_the_role_of_its_local_host_route()
    {
        var roles = ((IEndpointRouteBuilder)MappedApp()).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods
                .Select(m => (Key: $"{m} {e.RoutePattern.RawText![(ApiRoutes.Prefix.Length + 2)..]}", Role: e.Metadata.GetMetadata<RequiresRole>()?.Role.ToString())))
            .ToDictionary(e => e.Key, e => e.Role);

        var source = string.Join('\n', Directory.GetFiles(Path.Combine(FunctionsBuild.RepositoryRoot, "functions", "Http"), "*.cs").Select(File.ReadAllText));
        var functions = source.Split("[Function(").Skip(1)
            .Select(f => (
                Trigger: Regex.Match(f, """HttpTrigger\(AuthorizationLevel\.(\w+), "(\w+)", Route = (?:"([^"]+)"|ModelsApi\.ModelSchemaRoute)\)"""),
                Role: Regex.Match(f, @"EasyAuth\.RunAsync\(req, ApiRole\.(\w+),")))
            .Where(f => f.Trigger.Success)
            .ToList();

        Assert.Equal(roles.Count, functions.Count);
        foreach (var (trigger, role) in functions)
        {
            var route = trigger.Groups[3].Success ? trigger.Groups[3].Value : ModelsApi.ModelSchemaRoute;
            var key = $"{trigger.Groups[2].Value.ToUpperInvariant()} {route}";
            Assert.True(roles.TryGetValue(key, out var expected), $"{key} is not a local host route");
            Assert.True(expected == (role.Success ? role.Groups[1].Value : null), $"{key}: Functions checks {(role.Success ? role.Groups[1].Value : "no role")}, the local host {expected ?? "none"}");
            Assert.Equal(expected is null ? "Anonymous" : "Function", trigger.Groups[1].Value);
        }
    }

    private const string ConsoleFunctionName = "Console";

    /// <summary>
    /// The console's static files: the local host serves them at /console/, Functions (route prefix api) at
    /// /api/console/; both anonymous (the page holds no data and asks for a key itself), GET and HEAD.
    /// </summary>
    [Fact]
    public void The_console_is_an_anonymous_get_function_beside_the_api()
    {
        var trigger = FunctionsBuild.Trigger(ConsoleFunctionName);
        Assert.Equal(ConsoleEndpoints.FunctionsRoute, trigger["route"]!.GetValue<string>());
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(["get", "head"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).Order());
    }

    private static WebApplication MappedApp()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapPlatformApi<AllowAll>();
        return app;
    }

    private static List<string> FunctionNamesWithTrigger(string type) =>
        FunctionsBuild.Functions
            .Where(f => f.Value.Any(b => b!["type"]!.GetValue<string>() == type))
            .Select(f => f.Key)
            .ToList();

    /// <summary>(route, method) of every endpoint <see cref="PlatformEndpoints"/> maps, e.g. ("/api/models/{model}", "PUT").</summary>
    private static List<(string Route, string Method)> LocalHostEndpoints()
    {
        return ((IEndpointRouteBuilder)MappedApp()).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods.Select(m => (e.RoutePattern.RawText!, m)))
            .ToList();
    }

    private sealed class AllowAll : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) => next(context);
    }
}
