using Spectre.Console;

namespace Serverless.Cli.Tests;

public sealed class CliEnvironmentTests
{
    [Theory]
    [InlineData("160", 160)]
    [InlineData("abc", 80)]
    [InlineData("10", 80)]
    [InlineData("-200", 80)]
    [InlineData(null, 80)]
    public void A_redirected_console_takes_its_width_from_COLUMNS_when_it_is_a_sane_number(string? columns, int expected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        console.Profile.Width = 80;

        Assert.Equal(expected, CliEnvironment.WithColumns(console, columns).Profile.Width);
    }

    [Fact]
    public void A_table_drawn_at_COLUMNS_width_keeps_a_long_metrics_cell_on_one_line()
    {
        var writer = new StringWriter();
        var console = CliEnvironment.WithColumns(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) }), "200");
        var metrics = "auc 0.8182, accuracy 0.7532, f1 0.6521, precision 0.6658, recall 0.639, logLoss 0.4964";
        console.Write(new Table().AddColumns("version", "metrics").AddRow("1", metrics));

        Assert.Contains(metrics, writer.ToString(), StringComparison.Ordinal);
    }
}
