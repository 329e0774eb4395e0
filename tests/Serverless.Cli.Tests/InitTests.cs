using System.Text.Json.Nodes;
using Serverless.Cli.Csv;
using Serverless.Cli.Init;

namespace Serverless.Cli.Tests;

/// <summary><c>init</c> on CSVs it was not written for: scikit-learn's iris and diabetes, and a messy loans export.</summary>
public sealed class InitTests
{
    private static async Task<(CliRun Run, JsonObject Spec)> InitAsync(TestFiles files, string csv, params string[] extra)
    {
        var run = await CliRun.InvokeAsync(files.Path, null, ["init", csv, .. extra]);
        var spec = File.Exists(files.File("model.json")) ? JsonNode.Parse(File.ReadAllText(files.File("model.json")))!.AsObject() : new JsonObject();
        return (run, spec);
    }

    private static JsonObject Feature(JsonObject spec, string name) =>
        spec["features"]!.AsArray().Single(f => (string)f!["name"]! == name)!.AsObject();

    private static string[] Names(JsonObject spec) => [.. spec["features"]!.AsArray().Select(f => (string)f!["name"]!)];

    [Fact]
    public async Task A_messy_export_gives_typed_features_missing_tokens_and_a_positive_class()
    {
        using var files = new TestFiles();
        var (run, spec) = await InitAsync(files, TestFiles.Data("loans.csv"));

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(("binary", "decision", "denied"), ((string)spec["task"]!, (string)spec["label"]!, (string)spec["positiveClass"]!));

        // The id, the free-text notes and the timestamps are not features; the file keeps them, so extra columns are allowed.
        Assert.Equal(["age", "income", "employed", "region", "purpose"], Names(spec));
        Assert.True((bool)spec["allowExtraColumns"]!);

        // Tokens seen anywhere, plus 'unknown': the only non-number in the income column.
        Assert.Equal(["", "?", "N/A", "NA", "null", "unknown"], spec["missingValues"]!.AsArray().Select(v => (string)v!));
        var age = Feature(spec, "age");
        Assert.Equal(("numeric", true, 20.0, 80.0), ((string)age["type"]!, (bool)age["nullable"]!, (double)age["min"]!, (double)age["max"]!));
        var income = Feature(spec, "income");
        Assert.Equal(("numeric", true), ((string)income["type"]!, (bool)income["nullable"]!));
        Assert.InRange((double)income["min"]!, 12_000, (double)income["max"]!);
        Assert.Equal("boolean", (string)Feature(spec, "employed")["type"]!);
        Assert.Null(Feature(spec, "employed")["nullable"]);

        var region = Feature(spec, "region");
        Assert.Equal(["east", "north", "south", "west"], region["categories"]!.AsArray().Select(c => (string)c!).Order());
        Assert.True((bool)region["nullable"]!); // 'null' cells

        // 25 purposes: the 20 most frequent kept, the rest allowed as unknown.
        var purpose = Feature(spec, "purpose");
        Assert.Equal(20, purpose["categories"]!.AsArray().Count);
        Assert.Equal("allow", (string)purpose["unknownCategory"]!);

        Assert.Contains("identifier", run.Console);
        Assert.Contains("valid against the model spec schema", run.Console);
        Assert.Empty(SpecSchemaValidator.Validate(spec));
    }

    [Fact]
    public async Task Iris_is_multiclass_on_its_last_column_with_four_numeric_ranges()
    {
        using var files = new TestFiles();
        var (run, spec) = await InitAsync(files, TestFiles.Data("iris.csv"), "--json");

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(("multiclass", "species"), ((string)spec["task"]!, (string)spec["label"]!));
        Assert.Null(spec["positiveClass"]);
        Assert.Equal(["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"], Names(spec));
        Assert.All(spec["features"]!.AsArray(), f => Assert.Equal("numeric", (string)f!["type"]!));
        Assert.Equal((1.0, 6.9), ((double)Feature(spec, "petal length (cm)")["min"]!, (double)Feature(spec, "petal length (cm)")["max"]!));
        Assert.Null(spec["allowExtraColumns"]);

        // --json: the spec and every column's reading, nothing else on stdout.
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(150, (int)json["rows"]!);
        Assert.Empty(json["schemaProblems"]!.AsArray());
        Assert.Equal(spec.ToJsonString(), json["spec"]!.ToJsonString());
        Assert.Equal("", run.Console);
    }

    [Fact]
    public async Task Diabetes_progression_is_a_regression_label_and_a_two_valued_number_stays_numeric()
    {
        using var files = new TestFiles();
        var (run, spec) = await InitAsync(files, TestFiles.Data("diabetes.csv"));

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(("regression", "progression"), ((string)spec["task"]!, (string)spec["label"]!));
        Assert.Equal(10, spec["features"]!.AsArray().Count);

        // sex is coded 1/2, not a boolean token pair: a number with that range.
        Assert.Equal(("numeric", 1.0, 2.0), ((string)Feature(spec, "sex")["type"]!, (double)Feature(spec, "sex")["min"]!, (double)Feature(spec, "sex")["max"]!));
    }

    [Fact]
    public async Task Options_choose_the_label_task_and_positive_class()
    {
        using var files = new TestFiles();
        var (run, spec) = await InitAsync(files, TestFiles.Data("diabetes.csv"), "--label", "bmi", "-o", "model.json");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(("regression", "bmi"), ((string)spec["task"]!, (string)spec["label"]!));
        Assert.Contains("progression", Names(spec));

        var loans = await InitAsync(files, TestFiles.Data("loans.csv"), "--positive-class", "approved", "--no-ranges", "--force");
        Assert.True(loans.Run.Code == 0, loans.Run.ToString());
        Assert.Equal("approved", (string)loans.Spec["positiveClass"]!);
        Assert.Equal(("numeric", null, null), ((string)Feature(loans.Spec, "income")["type"]!, Feature(loans.Spec, "income")["min"], Feature(loans.Spec, "income")["max"]));
    }

    [Fact]
    public async Task Unusable_input_exits_2_with_the_reason()
    {
        using var files = new TestFiles();
        var missing = await CliRun.InvokeAsync(files.Path, null, "init", "nope.csv");
        Assert.Equal(CliExitCodes.InvalidInput, missing.Code);
        Assert.Contains("No file", missing.Error);

        var ragged = await CliRun.InvokeAsync(files.Path, null, "init", files.Write("ragged.csv", "a,b,y\n1,2,yes\n3,no\n"));
        Assert.Equal(CliExitCodes.InvalidInput, ragged.Code);
        Assert.Contains("Line 3: 2 fields, the header has 3", ragged.Error);

        var headerOnly = await CliRun.InvokeAsync(files.Path, null, "init", files.Write("empty.csv", "a,b,y\n"));
        Assert.Equal(CliExitCodes.InvalidInput, headerOnly.Code);
        Assert.Contains("no rows", headerOnly.Error);

        var unknownLabel = await CliRun.InvokeAsync(files.Path, null, "init", TestFiles.Data("iris.csv"), "--label", "petals");
        Assert.Equal(CliExitCodes.InvalidInput, unknownLabel.Code);
        Assert.Contains("--label 'petals' is not a column", unknownLabel.Error);

        // An existing spec is not overwritten by accident.
        files.Write("model.json", "{}");
        var exists = await CliRun.InvokeAsync(files.Path, null, "init", TestFiles.Data("iris.csv"));
        Assert.Equal(CliExitCodes.InvalidInput, exists.Code);
        Assert.Equal("{}", File.ReadAllText(files.File("model.json")));

        var noModel = await CliRun.InvokeAsync(files.Path, null, "init", TestFiles.Data("iris.csv"), "--put", "--force");
        Assert.Equal(CliExitCodes.InvalidInput, noModel.Code);
        Assert.Contains("--put needs --model", noModel.Error);
    }

    [Fact]
    public void The_schema_check_names_each_problem()
    {
        var problems = SpecSchemaValidator.Validate(JsonNode.Parse("""{"task": "ranking", "label": "y", "features": []}""")!);
        Assert.Contains(problems, p => p.StartsWith("/task", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("/features", StringComparison.Ordinal));
        Assert.Empty(SpecSchemaValidator.Validate(JsonNode.Parse(File.ReadAllText(Path.Combine(Azurite.FindRoot(), "samples", "churn", "model.json")))!));
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var csv = new CsvRecordReader(new StringReader("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",\n"));
        Assert.Equal(["a", "b"], csv.Read()!);
        Assert.Equal(["x, y", "say \"hi\""], csv.Read()!);
        Assert.Equal(["two\nlines", ""], csv.Read()!);
        Assert.Equal(4, csv.Line);
        Assert.Null(csv.Read());
        Assert.Throws<FormatException>(() => new CsvRecordReader(new StringReader("\"open")).Read());

        var written = new StringWriter();
        CsvRecordWriter.Write(written, ["x, y", "say \"hi\"", "plain", null]);
        Assert.Equal(["x, y", "say \"hi\"", "plain", ""], new CsvRecordReader(new StringReader(written.ToString())).Read()!);
    }
}
