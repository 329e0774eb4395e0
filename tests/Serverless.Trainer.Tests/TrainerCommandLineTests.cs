using Serverless.Tests.Shared;

namespace Serverless.Trainer.Tests;

/// <summary>The trainer's command line (bench/gpu/run.sh passes <c>--bench ROWS EPOCHS</c>), parsed with recording actions.</summary>
public sealed class TrainerCommandLineTests
{
    private readonly List<string> calls = [];

    [Theory]
    [InlineData(new[] { "--bench" }, "bench 1000000 2 1")]
    [InlineData(new[] { "--bench", "200000", "3" }, "bench 200000 3 1")]
    [InlineData(new[] { "--bench", "200000", "3", "4" }, "bench 200000 3 4")]
    [InlineData(new[] { "--Trainer:ExitWhenIdle=true" }, "worker [--Trainer:ExitWhenIdle=true]")]
    [InlineData(new string[0], "worker []")]
    public async Task Arguments_reach_the_bench_or_the_worker(string[] args, string expected)
    {
        var (code, _) = await InvokeAsync(args);

        Assert.Equal(0, code);
        Assert.Equal([expected], calls);
    }

    [Theory]
    [InlineData("x", "x")]
    [InlineData("0", "rows must be at least 1")]
    public async Task A_bad_row_count_exits_1_with_a_message(string rows, string expected)
    {
        var (code, output) = await InvokeAsync("--bench", rows);

        Assert.Equal(1, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Help_describes_the_bench_and_starts_nothing()
    {
        var (code, output) = await InvokeAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("--bench", output, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    private Task<(int Code, string Output)> InvokeAsync(params string[] args)
    {
        var command = TrainerCommandLine.Create(new TrainerCommandActions(
            (rows, epochs, replicas) =>
            {
                calls.Add($"bench {rows} {epochs} {replicas}");
                return 0;
            },
            (hostArgs, _) =>
            {
                calls.Add($"worker [{string.Join(' ', hostArgs)}]");
                return Task.FromResult(0);
            }));
        return CommandLineRun.InvokeAsync(command, args);
    }
}
