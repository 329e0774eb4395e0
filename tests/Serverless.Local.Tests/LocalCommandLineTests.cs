using Serverless.Local.Demo;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The local host's command line, parsed with the real System.CommandLine tree and recording actions (nothing starts).</summary>
public sealed class LocalCommandLineTests
{
    private readonly List<string> calls = [];

    [Fact]
    public async Task No_arguments_run_the_host_with_no_configuration()
    {
        var (code, _) = await InvokeAsync();

        Assert.Equal(0, code);
        Assert.Equal(["host []"], calls);
    }

    [Fact]
    public async Task Host_configuration_passes_through_to_the_demo()
    {
        var (code, _) = await InvokeAsync("--urls", "http://127.0.0.1:7071", "demo", "--Platform:Storage=UseDevelopmentStorage=true");

        Assert.Equal(0, code);
        Assert.Equal(["demo [--urls http://127.0.0.1:7071 --Platform:Storage=UseDevelopmentStorage=true]"], calls);
    }

    [Fact]
    public async Task Demo_accounts_runs_the_feature_store_sample_with_the_host_configuration()
    {
        var (code, _) = await InvokeAsync("demo", "accounts", "--LocalHost:Port=20350");

        Assert.Equal(0, code);
        Assert.Equal(["demo accounts [--LocalHost:Port=20350]"], calls);
    }

    [Fact]
    public async Task Host_configuration_alone_runs_the_host_with_it()
    {
        var (code, _) = await InvokeAsync("--urls", "http://127.0.0.1:7071");

        Assert.Equal(0, code);
        Assert.Equal(["host [--urls http://127.0.0.1:7071]"], calls);
    }

    [Theory]
    [InlineData(new string[] { "generate-sample" }, LocalCommandLine.DefaultSampleRows)]
    [InlineData(new[] { "generate-sample", "1000" }, 1000)]
    public async Task Generate_sample_writes_the_rows_asked_for(string[] args, int rows)
    {
        var (code, _) = await InvokeAsync(args);

        Assert.Equal(0, code);
        Assert.Equal([$"generate {rows}"], calls);
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("0", "at least 1")]
    [InlineData("-5", "at least 1")]
    public async Task A_bad_row_count_exits_1_with_a_message_and_writes_nothing(string rows, string expected)
    {
        var (code, output) = await InvokeAsync("generate-sample", rows);

        Assert.Equal(1, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("generate-sample", output, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Generate_sample_rejects_a_second_argument()
    {
        var (code, output) = await InvokeAsync("generate-sample", "10", "20");

        Assert.Equal(1, code);
        Assert.Contains("20", output, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_the_commands_and_starts_nothing(string flag)
    {
        var (code, output) = await InvokeAsync(flag);

        Assert.Equal(0, code);
        Assert.Contains("generate-sample", output, StringComparison.Ordinal);
        Assert.Contains("demo", output, StringComparison.Ordinal);
        Assert.Contains("host configuration", output, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    private Task<(int Code, string Output)> InvokeAsync(params string[] args)
    {
        var command = LocalCommandLine.Create(new LocalCommandActions(
            (rows, _) =>
            {
                calls.Add($"generate {rows}");
                return Task.FromResult(0);
            },
            (hostArgs, demo, _) =>
            {
                calls.Add($"{demo switch { null => "host", DemoSample.Churn => "demo", _ => $"demo {demo.ToString()!.ToLowerInvariant()}" }} [{string.Join(' ', hostArgs)}]");
                return Task.FromResult(0);
            }));
        return CommandLineRun.InvokeAsync(command, args);
    }
}
