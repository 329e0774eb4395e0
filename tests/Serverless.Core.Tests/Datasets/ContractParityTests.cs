using System.Text;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>
/// Every data-contract rule, run through ingest (a CSV cell) and predict (a JSON value): both must give the same
/// verdict, under the same rule name and with the same message (predict may add what it got).
/// </summary>
public sealed class ContractParityTests
{
    // Valid value of each feature: CSV cell and JSON value.
    private static readonly Dictionary<string, (string Csv, string Json)> Defaults = new()
    {
        ["n"] = ("5", "5"),
        ["m"] = ("1", "1"),
        ["b"] = ("true", "true"),
        ["c"] = ("red", "\"red\""),
        ["a"] = ("blue", "\"blue\""),
        ["nc"] = ("blue", "\"blue\""),
    };

    private static ModelSpec Spec(bool allowExtra = false) => new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features =
        [
            new FeatureSpec("n", FeatureType.Numeric, Min: 0, Max: 10),
            new FeatureSpec("m", FeatureType.Numeric, Nullable: true),
            new FeatureSpec("b", FeatureType.Boolean),
            new FeatureSpec("c", FeatureType.Categorical, Categories: ["red", "blue"]),
            new FeatureSpec("a", FeatureType.Categorical, Categories: ["red", "blue"], UnknownCategory: UnknownCategoryPolicy.Allow),
            new FeatureSpec("nc", FeatureType.Categorical, Nullable: true, Categories: ["red", "blue"]),
        ],
        MissingValues = ["", "NA", "?"],
        MaxInvalidRowFraction = 1,
        MinimumRows = NoMinimum,
        AllowExtraColumns = allowExtra,
    };

    /// <summary>(rule family, field, CSV cell, JSON value, expected rule or null for accepted).</summary>
    public static TheoryData<string, string, string, string, string?> ValueRules => new()
    {
        // type
        { "type", "n", "abc", "\"abc\"", ContractRules.TypeError },
        { "type", "n", "1e39", "1e39", ContractRules.TypeError },
        { "type", "n", "3.5", "\"3.5\"", null },
        { "type", "n", "3.5", "3.5", null },
        { "type", "b", "maybe", "\"maybe\"", ContractRules.TypeError },
        { "type", "b", "2", "2", ContractRules.TypeError },

        // range (inclusive bounds)
        { "range", "n", "11", "11", ContractRules.OutOfRange },
        { "range", "n", "-0.5", "-0.5", ContractRules.OutOfRange },
        { "range", "n", "10", "10", null },
        { "range", "n", "0", "0", null },

        // category policy (exact, case-sensitive after trimming)
        { "category", "c", "green", "\"green\"", ContractRules.UnknownCategory },
        { "category", "c", "Red", "\"Red\"", ContractRules.UnknownCategory },
        { "category", "a", "green", "\"green\"", null },
        { "category", "c", "blue", "\"blue\"", null },

        // null / empty
        { "null", "n", "", "null", ContractRules.NullNotAllowed },
        { "null", "c", "", "null", ContractRules.NullNotAllowed },
        { "null", "b", "", "null", ContractRules.NullNotAllowed },
        { "null", "m", "", "null", null },
        { "null", "nc", "", "null", null },
        { "null", "m", "", "\"\"", null },

        // missing-value tokens
        { "missing-token", "m", "NA", "\"NA\"", null },
        { "missing-token", "nc", "?", "\"?\"", null },
        { "missing-token", "n", "NA", "\"NA\"", ContractRules.NullNotAllowed },
        { "missing-token", "c", "?", "\"?\"", ContractRules.NullNotAllowed },
        { "missing-token", "m", "na", "\"na\"", ContractRules.TypeError },

        // boolean tokens
        { "boolean", "b", "yes", "\"yes\"", null },
        { "boolean", "b", "NO", "\"NO\"", null },
        { "boolean", "b", "True", "\"True\"", null },
        { "boolean", "b", "false", "false", null },
        { "boolean", "b", "1", "1", null },
        { "boolean", "b", "0", "0", null },
        { "boolean", "b", "t", "\"t\"", ContractRules.TypeError },

        // whitespace is trimmed before every rule
        { "whitespace", "c", " red ", "\" red \"", null },
        { "whitespace", "n", " 5 ", "\" 5 \"", null },
        { "whitespace", "b", " yes ", "\" yes \"", null },
        { "whitespace", "m", "  ", "\"  \"", null },
        { "whitespace", "c", " green ", "\" green \"", ContractRules.UnknownCategory },
    };

    [Theory]
    [MemberData(nameof(ValueRules))]
    public void A_value_gets_the_same_verdict_at_ingest_and_at_predict(string family, string field, string csvCell, string jsonValue, string? expected)
    {
        var spec = Spec();
        var ingest = IngestProblem(spec, field, csvCell);
        var predict = PredictError(spec, field, jsonValue);

        Assert.True(expected == ingest?.Rule, $"{family}: ingest of '{csvCell}' gave {ingest?.Rule ?? "accepted"}, expected {expected ?? "accepted"}");
        Assert.True(expected == predict?.Rule, $"{family}: predict of {jsonValue} gave {predict?.Rule ?? "accepted"}, expected {expected ?? "accepted"}");
        if (expected is not null)
        {
            // One message source: what was expected reads the same in the report and in the 400.
            Assert.False(string.IsNullOrWhiteSpace(ingest!.Message));
            Assert.StartsWith(ingest.Message, predict!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_column_or_field_is_refused_on_both_paths()
    {
        var spec = Spec();
        var ingest = ContractTestSpecs.Validate(Csv(spec, omit: "n"), spec);
        Assert.Equal(ContractRules.MissingColumn, Assert.Single(ingest.Report.FileProblems).Rule);

        var predict = Predict(spec, Row(omit: "n"));
        Assert.Equal((ContractRules.MissingColumn, "n"), (Assert.Single(predict).Rule, predict[0].Field));
    }

    [Fact]
    public void An_absent_nullable_field_is_a_missing_value_at_predict_while_ingest_needs_every_column()
    {
        // The one deliberate difference: a training file without a declared column is a broken file (a renamed
        // header), while a request may leave out a nullable input, which then reads as missing, like an empty cell.
        var spec = Spec();
        Assert.Equal(ContractRules.MissingColumn, Assert.Single(ContractTestSpecs.Validate(Csv(spec, omit: "m"), spec).Report.FileProblems).Rule);
        Assert.Empty(Predict(spec, Row(omit: "m")));
        Assert.Null(IngestProblem(spec, "m", ""));
    }

    [Theory]
    [InlineData(false, ContractRules.ExtraColumn)]
    [InlineData(true, null)]
    public void Extra_columns_and_fields_follow_allowExtraColumns_on_both_paths(bool allowExtra, string? expected)
    {
        var spec = Spec(allowExtra);
        var ingest = ContractTestSpecs.Validate(Csv(spec, extra: "note"), spec);
        Assert.Equal(expected, ingest.Report.FileProblems.SingleOrDefault()?.Rule);

        var predict = Predict(spec, Row(extra: "\"note\":\"hello\""));
        Assert.Equal(expected, predict.SingleOrDefault()?.Rule);
        if (expected is null)
        {
            Assert.True(ingest.Accepted, Rules(ingest));
        }
    }

    [Fact]
    public void A_duplicated_column_or_key_is_refused_on_both_paths()
    {
        var spec = Spec();
        var csv = Csv(spec, extra: "n");
        Assert.Equal(ContractRules.DuplicateColumn, Assert.Single(ContractTestSpecs.Validate(csv, spec).Report.FileProblems).Rule);

        // System.Text.Json keeps both properties; "last one wins" would silently score a value the caller did not mean.
        var predict = Predict(spec, Row(extra: "\"n\":6"));
        Assert.Equal((ContractRules.DuplicateColumn, "n"), (Assert.Single(predict).Rule, predict[0].Field));
    }

    [Fact]
    public void Predict_names_the_field_and_the_allowed_categories_for_an_unknown_category()
    {
        var error = Assert.Single(PredictError(Spec(), "c", "\"green\"") is { } e ? [e] : Array.Empty<FieldError>());
        Assert.Equal("c", error.Field);
        Assert.Contains("'red', 'blue'", error.Message, StringComparison.Ordinal);
    }

    private static RowProblem? IngestProblem(ModelSpec spec, string field, string cell)
    {
        var r = ContractTestSpecs.Validate(Csv(spec, cells: new() { [field] = cell }), spec);
        Assert.Empty(r.Report.FileProblems);

        // Rows 2 and 3 are all-valid controls; they must always pass.
        Assert.DoesNotContain(r.Report.RowProblems, p => p.Row != 1);
        return r.Report.RowProblems.SingleOrDefault(p => p.Row == 1 && p.Column == field);
    }

    private static FieldError? PredictError(ModelSpec spec, string field, string json)
    {
        var errors = Predict(spec, Row(values: new() { [field] = json }));
        Assert.All(errors, e => Assert.Equal(field, e.Field));
        return errors.SingleOrDefault();
    }

    private static List<FieldError> Predict(ModelSpec spec, string row)
    {
        var schema = new PredictionInputSchema(spec.Features, spec.MissingValues, spec.AllowExtraColumns);
        var errors = new List<FieldError>();
        var table = PredictionRequestParser.Parse(Encoding.UTF8.GetBytes($"[{row}]"), schema, errors);
        Assert.Equal(errors.Count == 0, table is not null);
        return errors;
    }

    private static string Row(Dictionary<string, string>? values = null, string? omit = null, string? extra = null)
    {
        var fields = Defaults.Where(d => d.Key != omit).Select(d => $"\"{d.Key}\":{values?.GetValueOrDefault(d.Key) ?? d.Value.Json}");
        return "{" + string.Join(",", extra is null ? fields : fields.Append(extra)) + "}";
    }

    /// <summary>A header, one row with the case's cells, and two all-valid control rows (both label classes stay present when row 1 is dropped).</summary>
    private static string Csv(ModelSpec spec, Dictionary<string, string>? cells = null, string? omit = null, string? extra = null)
    {
        var names = spec.Features.Select(f => f.Name).Where(n => n != omit).ToList();
        var sb = new StringBuilder(string.Join(",", extra is null ? names : names.Append(extra))).Append(",y\n");
        var row1 = names.Select(n => Quote(cells?.GetValueOrDefault(n) ?? Defaults[n].Csv));
        var row2 = names.Select(n => Quote(Defaults[n].Csv));
        var extraCell = extra is null ? "" : "," + (extra == "n" ? "6" : "x");
        sb.Append(string.Join(",", row1)).Append(extraCell).Append(",1\n");
        sb.Append(string.Join(",", row2)).Append(extraCell).Append(",0\n");
        sb.Append(string.Join(",", row2)).Append(extraCell).Append(",1\n");
        return sb.ToString();
    }

    private static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
