using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Serverless.Cli.Api;
using Serverless.Tests.Shared.Entra;

namespace Serverless.Cli.Tests;

/// <summary>
/// <c>mlops --entra</c> for real: the tool runs as its own process with the real DefaultAzureCredential, limited by
/// <c>AZURE_TOKEN_CREDENTIALS=AzureCliCredential</c> (Azure.Identity 1.15.0+, CHANGELOG "selection of a specific
/// credential in the DefaultAzureCredential chain") to the Azure CLI, and a fake <c>az</c> first on PATH answers
/// <c>az account get-access-token</c> in the CLI's JSON (accessToken, expiresOn, expires_on, tokenType). The other end
/// is the GPU scorer on Kestrel loopback, validating the token (signature, issuer, audience, lifetime, app role) with a
/// test signing key instead of Entra ID's metadata: Entra ID is the only thing faked.
/// </summary>
[Collection(CliHostCollection.Name)]
public sealed class EntraTokenTests(CliHostFixture host) : IAsyncLifetime
{
    // v2.0 access tokens carry the API's client id as aud; the CLI asks for api://<client-id>/.default.
    private const string ClientId = "5f2b1c3d-0000-4000-8000-00000000c11e";
    private const string Scope = $"api://{ClientId}/.default";
    private const string Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000c1/v2.0";

    private EntraScorer? _scorer;

    private string Endpoint => _scorer!.Address.ToString().TrimEnd('/');

    public async Task InitializeAsync() => _scorer = await EntraScorer.StartAsync(ClientId, Issuer, $"unused-{Guid.NewGuid():N}", "cli-test");

    public async Task DisposeAsync()
    {
        if (_scorer is not null) await _scorer.DisposeAsync();
    }

    [Fact]
    public async Task Predict_with_a_token_carrying_the_scoring_role_scores_the_file()
    {
        using var az = FakeAzureCli.SignedIn(Token(["Scoring"]));
        var run = await RunToolAsync(az, "predict", Rows(), "--model", host.Model, "--endpoint", Endpoint, "--entra", Scope);

        Assert.True(run.Code == CliExitCodes.Ok, run.ToString());
        var lines = run.Out.Trim().Split('\n');
        Assert.Equal(11, lines.Length); // header + 10 scored rows
        Assert.Equal("customer_id,label,score,version,predictionId,error", lines[0]);
        Assert.All(lines[1..], l => Assert.EndsWith(",", l)); // no row refused: every error cell is empty

        // The credential asked the Azure CLI for the API's resource (the scope without /.default).
        Assert.Contains($"account get-access-token --output json --resource api://{ClientId}", az.Calls);
    }

    [Fact]
    public async Task A_token_without_the_role_gets_403_with_what_to_assign()
    {
        using var az = FakeAzureCli.SignedIn(Token([]));
        var run = await RunToolAsync(az, "predict", Rows(), "--model", host.Model, "--endpoint", Endpoint, "--entra", Scope);

        Assert.True(run.Code == CliExitCodes.ApiError, run.ToString());
        Assert.StartsWith("error: 403", run.Error);
        Assert.Contains("lacks the app role", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task No_signed_in_identity_is_a_clear_error_naming_entra_and_az_login()
    {
        using var az = FakeAzureCli.SignedOut();
        var run = await RunToolAsync(az, "models", "show", host.Model, "--endpoint", Endpoint, "--entra", Scope);

        Assert.True(run.Code == CliExitCodes.InvalidInput, run.ToString());
        Assert.StartsWith($"error: --entra {Scope}: no Entra ID token", run.Error);
        Assert.Contains("az login", run.Error);
        Assert.DoesNotContain("   at ", run.Error + run.Out);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    private string Rows()
    {
        var lines = File.ReadLines(host.TrainingCsv).Take(11);
        return host.Files.Write($"entra-{Guid.NewGuid():N}.csv", string.Join('\n', lines) + "\n");
    }

    private string Token(string[] roles) =>
        _scorer!.Token(roles, new Dictionary<string, object> { ["oid"] = "00000000-0000-0000-0000-0000000000c2", ["name"] = "cli test user" });

    /// <summary>The built tool (mlops.dll beside the tests) as a child process with <paramref name="az"/>'s environment.</summary>
    private async Task<CliRun> RunToolAsync(FakeAzureCli az, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = host.Files.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlops.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("MLOPS_", StringComparison.Ordinal) || k.StartsWith("IDENTITY_", StringComparison.Ordinal) || k.StartsWith("MSI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["PATH"] = az.Folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = az.Folder; // no real Azure CLI profile or token cache can leak in
        start.Environment["AZURE_TOKEN_CREDENTIALS"] = "AzureCliCredential";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return new CliRun(process.ExitCode, "", await stdout, await stderr);
    }

    /// <summary>
    /// An <c>az</c> script in a folder of its own: it records its arguments and prints what the real CLI prints for
    /// <c>az account get-access-token --output json</c>, or, signed out, exits 1 with the CLI's "az login" message.
    /// </summary>
    private sealed class FakeAzureCli : IDisposable
    {
        private FakeAzureCli(string script)
        {
            Folder = Directory.CreateTempSubdirectory("mlops-az-").FullName;
            var az = Path.Combine(Folder, "az");
            File.WriteAllText(az, $"#!/bin/sh\necho \"$@\" >> \"{Path.Combine(Folder, "calls.log")}\"\n{script}");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Folder { get; }

        public string Calls => File.Exists(Path.Combine(Folder, "calls.log")) ? File.ReadAllText(Path.Combine(Folder, "calls.log")) : "";

        public static FakeAzureCli SignedIn(string token)
        {
            var expires = DateTimeOffset.UtcNow.AddHours(1);
            var json = new JsonObject
            {
                ["accessToken"] = token,
                ["expiresOn"] = expires.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                ["expires_on"] = expires.ToUnixTimeSeconds(),
                ["subscription"] = "00000000-0000-0000-0000-0000000000c3",
                ["tenant"] = "00000000-0000-0000-0000-0000000000c1",
                ["tokenType"] = "Bearer",
            };
            var fake = new FakeAzureCli($"cat \"$(dirname \"$0\")/token.json\"\n");
            File.WriteAllText(Path.Combine(fake.Folder, "token.json"), json.ToJsonString());
            return fake;
        }

        public static FakeAzureCli SignedOut() =>
            new("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
