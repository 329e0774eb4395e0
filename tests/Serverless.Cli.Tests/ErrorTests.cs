using Serverless.Cli.Api;

namespace Serverless.Cli.Tests;

/// <summary>Failures exit non-zero with the server's problem details, or the local reason.</summary>
[Collection(CliHostCollection.Name)]
public sealed class ErrorTests(CliHostFixture host)
{
    private Task<CliRun> WithKeyAsync(string? key, params string[] args) =>
        CliRun.InvokeAsync(host.Files.Path, null, [.. args, "--endpoint", host.Endpoint, .. key is null ? Array.Empty<string>() : ["--key", key]]);

    [Fact]
    public async Task Api_errors_exit_1_with_status_title_and_detail()
    {
        var unknown = await host.RunAsync("models", "show", "no-such-model");
        Assert.Equal(CliExitCodes.ApiError, unknown.Code);
        Assert.StartsWith("error: 404", unknown.Error);

        var wrongKey = await WithKeyAsync("not-the-key", "models", "list");
        Assert.Equal(CliExitCodes.ApiError, wrongKey.Code);
        Assert.StartsWith("error: 401", wrongKey.Error);

        var scoringOnAdmin = await WithKeyAsync(host.ScoringKey, "runs", "list", "--model", host.Model);
        Assert.Equal(CliExitCodes.ApiError, scoringOnAdmin.Code);
        Assert.StartsWith("error: 403", scoringOnAdmin.Error);

        var release = await host.RunAsync("release", "approve", host.Model, "no-such-release");
        Assert.Equal(CliExitCodes.ApiError, release.Code);
        Assert.StartsWith("error: 404", release.Error);

        var releases = await host.RunAsync("release", "status", host.Model, "--json");
        Assert.True(releases.Code == 0, releases.ToString());
        Assert.Equal("[]", releases.Out.Trim());
    }

    [Fact]
    public async Task Init_put_stores_the_draft_too_little_data_exits_3_and_a_refused_put_exits_1()
    {
        var csv = host.Files.Write("put/data.csv", "a,b,y\n1,x,0\n2,y,1\n3,x,1\n");
        var model = Azurite.UniqueModel("cli-put");
        var put = await host.RunAsync("init", csv, "--model", model, "--put", "-o", host.Files.File("put/model.json"));
        Assert.True(put.Code == 0, put.ToString());
        Assert.Contains($"Stored as {model}", put.Console);
        var show = await host.RunAsync("models", "show", model);
        Assert.Contains("binary on 'y', 2 features", show.Console);

        // No version yet: nothing to roll back to.
        var rollback = await host.RunAsync("models", "rollback", model);
        Assert.Equal(CliExitCodes.InvalidInput, rollback.Code);
        Assert.Contains("no earlier champion", rollback.Error);

        // Three rows are below the spec's minimum: the run ends quarantined, and push says so with exit 3.
        var quarantined = await host.RunAsync("push", csv, "--model", model, "--poll", "0.2");
        Assert.Equal(CliExitCodes.Unsuccessful, quarantined.Code);
        Assert.Contains("quarantined", quarantined.Console);

        var refused = await host.RunAsync("init", csv, "--model", "Bad_Name", "--put", "-o", host.Files.File("put/model.json"), "--force");
        Assert.Equal(CliExitCodes.ApiError, refused.Code);
        Assert.StartsWith("error: 400", refused.Error);
        Assert.Contains("Bad_Name", refused.Error);
    }

    [Fact]
    public async Task Local_problems_exit_2_and_an_unreachable_endpoint_exits_1()
    {
        var missing = await host.RunAsync("push", "no-such.csv", "--model", host.Model);
        Assert.Equal(CliExitCodes.InvalidInput, missing.Code);

        var endpoint = await CliRun.InvokeAsync(host.Files.Path, null, "models", "list", "--endpoint", "ftp://example");
        Assert.Equal(CliExitCodes.InvalidInput, endpoint.Code);

        var batch = await host.RunAsync("predict", host.TrainingCsv, "--model", host.Model, "--batch", "20000");
        Assert.Equal(CliExitCodes.InvalidInput, batch.Code);

        var timeout = await host.RunAsync("models", "list", "--timeout", "0");
        Assert.Equal(CliExitCodes.InvalidInput, timeout.Code);
        Assert.Contains("--timeout must be a positive number", timeout.Error);

        // Port 1 (tcpmux): nothing listens there.
        var closed = await CliRun.InvokeAsync(host.Files.Path, null, "models", "list", "--endpoint", "http://127.0.0.1:1", "--key", "k");
        Assert.Equal(CliExitCodes.ApiError, closed.Code);
        Assert.StartsWith("error: Unreachable: No answer from http://127.0.0.1:1/", closed.Error);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_exit_1()
    {
        // Accepts the connection and says nothing.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var run = await CliRun.InvokeAsync(host.Files.Path, null, "models", "list", "--endpoint", $"http://127.0.0.1:{port}", "--key", "k", "--timeout", "0.5");
        Assert.Equal(CliExitCodes.ApiError, run.Code);
        Assert.Contains("Timed out: No answer from", run.Error);
    }

    [Fact]
    public async Task The_local_key_files_are_found_for_a_loopback_endpoint_only()
    {
        using var files = new TestFiles();
        files.Write(".local/admin.key", CliHostFixture.AdminKey + "\n");
        var nested = Directory.CreateDirectory(files.File("work/deeper")).FullName;

        var found = await CliRun.InvokeAsync(nested, null, "models", "list", "--endpoint", host.Endpoint);
        Assert.True(found.Code == 0, found.ToString());

        var env = new CliEnvironment(Spectre.Console.AnsiConsole.Console, TextWriter.Null, TextWriter.Null, _ => null, nested, TimeProvider.System);
        Assert.Equal((CliHostFixture.AdminKey, files.File(".local/admin.key")), ApiKeyLocator.Find(null, new Uri(host.Endpoint), env));
        Assert.Equal((null, null), ApiKeyLocator.Find(null, new Uri("https://func-example.azurewebsites.net"), env));
        Assert.Equal(("from-env", ApiConnection.KeyVariable), ApiKeyLocator.Find(null, new Uri("https://func-example.azurewebsites.net"), env with { Variable = n => n == ApiConnection.KeyVariable ? "from-env" : null }));
        Assert.Equal(("given", "--key"), ApiKeyLocator.Find("given", new Uri(host.Endpoint), env));

        // No key anywhere: the 401 says how to give one.
        using var bare = new TestFiles();
        var none = await CliRun.InvokeAsync(bare.Path, null, "models", "list", "--endpoint", host.Endpoint);
        Assert.Equal(CliExitCodes.ApiError, none.Code);
        Assert.Contains("No key was sent", none.Error);
    }
}
