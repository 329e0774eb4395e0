using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cli.Csv;
using Serverless.Local.Demo;

namespace Serverless.Cli.Tests;

[Collection(CliHostCollection.Name)]
public sealed class PredictTests(CliHostFixture host)
{
    /// <summary>30 churn rows; line 6 has a tenure that is not a number, line 13 a contract the spec does not know.</summary>
    private string CsvWithBadRows(string name)
    {
        var lines = ChurnSample.GenerateCsv(30, 11).TrimEnd('\n').Split('\n');
        lines[5] = Replace(lines[5], 1, "abc");
        lines[12] = Replace(lines[12], 4, "lifetime");
        return host.Files.Write(name, string.Join('\n', lines) + "\n");

        static string Replace(string line, int column, string value)
        {
            var cells = line.Split(',');
            cells[column] = value;
            return string.Join(',', cells);
        }
    }

    private static List<string[]> ReadCsv(TextReader text)
    {
        var reader = new CsvRecordReader(text);
        var rows = new List<string[]>();
        while (reader.Read() is { } r) rows.Add(r);
        return rows;
    }

    [Fact]
    public async Task Csv_in_csv_out_keeps_every_id_in_order_and_reports_bad_rows_instead_of_dropping_them()
    {
        var input = CsvWithBadRows("batch.csv");
        var output = host.Files.File("scored.csv");
        var run = await host.RunAsync("predict", input, "--model", host.Model, "-o", output, "--batch", "8");

        Assert.True(run.Code == CliExitCodes.Unsuccessful, run.ToString());
        Assert.Contains("28 of 30 rows scored", run.Console);
        Assert.Contains("rejected line 6 (customer_id", run.Console);

        var inputRows = ReadCsv(new StringReader(File.ReadAllText(input)));
        var rows = ReadCsv(new StringReader(File.ReadAllText(output)));
        Assert.Equal(["customer_id", "label", "score", "version", "predictionId", "error"], rows[0]);
        Assert.Equal(inputRows.Skip(1).Select(r => r[0]), rows.Skip(1).Select(r => r[0]));

        var champion = (await host.ChampionAsync())!.Value.ToString(CultureInfo.InvariantCulture);
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (i is 5 or 12)
            {
                Assert.Equal(("", ""), (row[2], row[3]));
                Assert.Contains(i == 5 ? "tenure_months" : "contract", row[5]);
            }
            else
            {
                Assert.InRange(double.Parse(row[2], CultureInfo.InvariantCulture), 0, 1);
                Assert.Equal((champion, ""), (row[3], row[5]));
                Assert.NotEmpty(row[4]);
            }
        }
    }

    [Fact]
    public async Task Without_an_output_file_the_csv_goes_to_stdout_and_json_summarises()
    {
        var input = host.Files.Write("clean.csv", ChurnSample.GenerateCsv(5, 12));
        var stdout = await host.RunAsync("predict", input, "--model", host.Model);
        Assert.True(stdout.Code == 0, stdout.ToString());
        var rows = ReadCsv(new StringReader(stdout.Out));
        Assert.Equal(6, rows.Count);
        Assert.Contains("5 of 5 rows scored", stdout.Error);

        var json = await host.RunAsync("predict", CsvWithBadRows("bad.csv"), "--model", host.Model, "-o", host.Files.File("bad-out.csv"), "--json");
        Assert.Equal(CliExitCodes.Unsuccessful, json.Code);
        var summary = JsonNode.Parse(json.Out)!;
        Assert.Equal((30, 28), ((int)summary["rows"]!, (int)summary["scored"]!));
        Assert.Equal([6L, 13L], summary["rejected"]!.AsArray().Select(r => (long)r!["line"]!));
    }

    [Fact]
    public async Task Explain_shows_attributions_that_add_up_to_the_margin()
    {
        var input = host.Files.Write("one.csv", ChurnSample.GenerateCsv(3, 13));
        var json = await host.RunAsync("explain", input, "--model", host.Model, "--row", "2", "--json");
        Assert.True(json.Code == 0, json.ToString());
        var answer = JsonNode.Parse(json.Out)!;
        var output = answer["explanations"]![0]!["outputs"]![0]!;
        var sum = output["attributions"]!.AsObject().Sum(kv => (double)kv.Value!);
        Assert.Equal((double)output["margin"]!, (double)output["expectedValue"]! + sum, 1e-6);
        Assert.Equal(10, output["attributions"]!.AsObject().Count);

        var table = await host.RunAsync("explain", input, "--model", host.Model, "--row", "2", "--set", "contract=two-year");
        Assert.True(table.Code == 0, table.ToString());
        Assert.Matches(@"│ contract\s+│ two-year\s+│ [+-]\d+\.\d{4}", table.Console);
        Assert.Contains("TreeSHAP", table.Console, StringComparison.OrdinalIgnoreCase);

        var beyond = await host.RunAsync("explain", input, "--model", host.Model, "--row", "9");
        Assert.Equal(CliExitCodes.InvalidInput, beyond.Code);
        Assert.Contains("fewer than 9 data rows", beyond.Error);
    }
}
