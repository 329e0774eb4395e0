using System.IO.Compression;
using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

public class CsvContractTests
{
    private const string Header = "age,plan,active,churned\n";

    [Fact]
    public void Clean_file_is_accepted_and_typed_in_spec_order()
    {
        // Columns in a different order than the spec, with a BOM, CRLF and padding.
        var csv = "\uFEFFchurned , active,plan,age\r\nyes,TRUE,basic,42\r\n0,no, pro ,\r\nFalse,1,\"basic\",7.5e1\r\n";
        var r = Validate(csv, Churn());

        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(ValidationReport.Verdicts.Accepted, r.Report.Verdict);
        Assert.Equal((3L, 3L, 0L), (r.Report.TotalRows, r.Report.ValidRows, r.Report.InvalidRows));
        var data = r.Data!;
        Assert.Equal(["age", "plan", "active", "churned"], data.Columns.Select(c => c.Name));
        Assert.Equal([42f, float.NaN, 75f], data["age"].FloatValues);
        Assert.Equal(["basic", "pro", "basic"], data["plan"].TextValues.AsEnumerable());
        Assert.Equal([1f, 0f, 1f], data["active"].FloatValues);
        Assert.Equal([1f, 0f, 0f], data["churned"].FloatValues);
    }

    [Fact]
    public void Empty_file_is_quarantined()
    {
        var r = Validate("", Churn());
        Assert.False(r.Accepted);
        Assert.Null(r.Data);
        Assert.Equal(ValidationReport.Verdicts.Quarantined, r.Report.Verdict);
        Assert.Equal(ContractRules.EmptyFile, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Header_only_is_an_empty_file()
    {
        var r = Validate(Header, Churn());
        Assert.False(r.Accepted);
        Assert.Equal(ContractRules.EmptyFile, Assert.Single(r.Report.FileProblems).Rule);
        Assert.Equal(0, r.Report.TotalRows);
    }

    [Fact]
    public void Each_missing_column_is_listed()
    {
        var r = Validate("plan,extra\nbasic,1\n", Churn() with { AllowExtraColumns = true });
        Assert.False(r.Accepted);
        Assert.Equal(
            ["Column 'age' is missing.", "Column 'active' is missing.", "Column 'churned' is missing."],
            r.Report.FileProblems.Select(p => p.Message));
        Assert.All(r.Report.FileProblems, p => Assert.Equal(ContractRules.MissingColumn, p.Rule));
        Assert.Equal(3, r.Report.ProblemCountsByRule[ContractRules.MissingColumn]);
    }

    [Fact]
    public void Extra_columns_quarantine_unless_allowed()
    {
        const string csv = "age,plan,active,churned,note\n30,basic,1,0,hello\n31,pro,0,1,bye\n";
        var strict = Validate(csv, Churn());
        Assert.False(strict.Accepted);
        Assert.Equal(ContractRules.ExtraColumn, Assert.Single(strict.Report.FileProblems).Rule);

        var lenient = Validate(csv, Churn() with { AllowExtraColumns = true });
        Assert.True(lenient.Accepted);
        Assert.False(lenient.Data!.Contains("note"));
    }

    [Fact]
    public void Duplicate_headers_are_a_file_problem()
    {
        var r = Validate("age,plan,active,churned,age\n1,basic,1,0,2\n", Churn());
        Assert.False(r.Accepted);
        Assert.Equal(ContractRules.DuplicateColumn, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    public void Non_numbers_and_values_beyond_float_are_type_errors(string value)
    {
        var r = Validate($"{Header}\"{value}\",basic,1,0\n", Churn(maxInvalid: 1));
        var p = Assert.Single(r.Report.RowProblems);
        Assert.Equal(("age", ContractRules.TypeError, value), (p.Column, p.Rule, p.Value));
        Assert.False(r.Accepted);
    }

    [Theory]
    [InlineData("-0.5", true)]
    [InlineData("120.01", true)]
    [InlineData("0", false)]
    [InlineData("120", false)]
    public void Bounds_are_inclusive(string value, bool outOfRange)
    {
        var r = Validate($"{Header}{value},basic,1,0\n", Churn(maxInvalid: 1));
        Assert.Equal(outOfRange ? [ContractRules.OutOfRange] : [], r.Report.RowProblems.Select(p => p.Rule));
    }

    [Fact]
    public void Missing_tokens_are_null_where_nullable_and_errors_elsewhere()
    {
        var spec = Churn(maxInvalid: 1) with { MissingValues = ["", "NA", "?"] };
        var r = Validate($"{Header}NA,basic,1,0\n?,basic,NA,0\n5,basic,,0\n6,pro,1,1\n", spec);
        Assert.Equal(["2:active:null-not-allowed", "3:active:null-not-allowed"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.Equal([float.NaN, 6f], r.Data!["age"].FloatValues);
    }

    [Fact]
    public void Missing_tokens_are_case_sensitive_and_configurable()
    {
        var spec = Churn(maxInvalid: 1) with { MissingValues = ["null"] };
        var r = Validate($"{Header}null,basic,1,0\n,basic,1,0\nNULL,basic,1,0\n", spec);
        Assert.Equal(["2:age:type-error", "3:age:type-error"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
    }

    [Fact]
    public void Nullable_categorical_missing_is_null()
    {
        var spec = Churn() with
        {
            Features = [new FeatureSpec("plan", FeatureType.Categorical, Nullable: true, Categories: ["basic", "pro"])],
        };
        var r = Validate("plan,churned\n,1\nbasic,0\n", spec);
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal([null, "basic"], r.Data!["plan"].TextValues.AsEnumerable());
    }

    [Fact]
    public void Unknown_category_rejects_or_keeps_by_policy()
    {
        const string csv = "plan,churned\nbasic,1\ngold,0\npro,0\n";
        var reject = Validate(csv, Churn(maxInvalid: 0.5) with { Features = [new FeatureSpec("plan", FeatureType.Categorical, Categories: ["basic", "pro"])] });
        var p = Assert.Single(reject.Report.RowProblems);
        Assert.Equal((2L, 3, "plan", ContractRules.UnknownCategory, "gold"), (p.Row, p.Line, p.Column, p.Rule, p.Value));
        Assert.Equal(["basic", "pro"], reject.Data!["plan"].TextValues.AsEnumerable());

        var allow = Validate(csv, Churn() with
        {
            Features = [new FeatureSpec("plan", FeatureType.Categorical, Categories: ["basic", "pro"], UnknownCategory: UnknownCategoryPolicy.Allow)],
        });
        Assert.Equal(ValidationReport.Verdicts.Accepted, allow.Report.Verdict);
        Assert.Equal(["basic", "gold", "pro"], allow.Data!["plan"].TextValues.AsEnumerable());
    }

    [Fact]
    public void Category_matching_is_after_trimming_and_case_sensitive()
    {
        var r = Validate($"{Header}1,\"  pro \",1,0\n1,Pro,1,0\n1,basic,1,1\n", Churn(maxInvalid: 1));
        Assert.Equal(["2:plan:unknown-category"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.Equal(["pro", "basic"], r.Data!["plan"].TextValues.AsEnumerable());
    }

    [Fact]
    public void Missing_and_unparseable_labels_are_invalid_rows()
    {
        var r = Validate($"{Header}1,basic,1,\n1,basic,1,maybe\n1,basic,1,Yes\n1,basic,1,no\n", Churn(maxInvalid: 1));
        Assert.Equal(["1:churned:missing-label", "2:churned:type-error"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.Equal([1f, 0f], r.Data!["churned"].FloatValues);
    }

    [Fact]
    public void Boolean_spellings()
    {
        var r = Validate($"{Header}1,basic,TRUE,1\n1,basic,False,0\n1,basic,yes,0\n1,basic,NO,0\n1,basic,1,0\n1,basic,0,0\n1,basic,2,0\n1,basic,t,0\n", Churn(maxInvalid: 1));
        Assert.Equal([1f, 0f, 1f, 0f, 1f, 0f], r.Data!["active"].FloatValues);
        Assert.Equal(["7:active:type-error", "8:active:type-error"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
    }

    [Fact]
    public void A_row_with_several_problems_is_one_invalid_row_with_each_problem_listed()
    {
        var r = Validate($"{Header}-1,gold,,\n5,basic,1,1\n", Churn(maxInvalid: 1));
        Assert.Equal(["1:age:out-of-range", "1:plan:unknown-category", "1:active:null-not-allowed", "1:churned:missing-label"],
            r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.Equal(1, r.Report.InvalidRows);
        Assert.Equal(1, r.Report.ProblemCountsByRule[ContractRules.OutOfRange]);
    }

    [Fact]
    public void Every_row_problem_says_what_was_expected()
    {
        var r = Validate($"{Header}-1,gold,,\n130,basic,maybe,1\nabc,basic,1,0\n5,basic\n5,pro,0,1\n", Churn(maxInvalid: 1));

        Assert.Equal(
            [
                ("1:age:out-of-range", "Out of range: expected a number within [0, 120]."),
                ("1:plan:unknown-category", "Unknown category: expected one of 'basic', 'pro' (unknownCategory is reject)."),
                ("1:active:null-not-allowed", "A value is required: the column is not nullable (missing-value tokens: '', 'NA', '?')."),
                ("1:churned:missing-label", "Every row needs a label value; this one is missing."),
                ("2:age:out-of-range", "Out of range: expected a number within [0, 120]."),
                ("2:active:type-error", "Expected true or false (also 1/0, yes/no, any case)."),
                ("3:age:type-error", "Expected a number within [0, 120]."),
                ("4::unparseable-row", "A row needs one field per header column, with balanced quotes."),
            ],
            r.Report.RowProblems.Select(p => ($"{p.Row}:{p.Column}:{p.Rule}", p.Message)));
    }

    [Fact]
    public void Wrong_field_count_and_broken_quotes_are_unparseable_rows_with_lines()
    {
        var csv = $"{Header}1,basic,1,0\n2,basic\n\"multi\nline\",basic,1,0\n3,basic,1,0,extra\n4,\"basic,1,0\n";
        var r = Validate(csv, Churn(maxInvalid: 1));
        Assert.Equal(
            ["2@3:unparseable-row", "3@4:type-error", "4@6:unparseable-row", "5@7:unparseable-row"],
            r.Report.RowProblems.Select(p => $"{p.Row}@{p.Line}:{p.Rule}"));
        Assert.Equal("2 fields; the header has 4.", r.Report.RowProblems[0].Value);
        Assert.Equal(string.Empty, r.Report.RowProblems[0].Column);
    }

    [Fact]
    public void Whitespace_only_lines_are_blank_lines_not_rows()
    {
        var r = Validate($"{Header}1,basic,1,0\n   \n\t\n2,pro,0,1\n  ", Churn());
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal(2, r.Report.TotalRows);
    }

    [Fact]
    public void Few_invalid_rows_are_dropped_and_listed()
    {
        var sb = new StringBuilder(Header);
        for (var i = 0; i < 20; i++) sb.Append(i == 7 ? "abc" : i.ToString()).Append(",basic,1,").Append(i % 2).Append('\n');
        var r = Validate(sb.ToString(), Churn(maxInvalid: 0.05));

        Assert.True(r.Accepted);
        Assert.Equal(ValidationReport.Verdicts.AcceptedWithDroppedRows, r.Report.Verdict);
        Assert.Equal((20L, 19L, 1L, 0.05), (r.Report.TotalRows, r.Report.ValidRows, r.Report.InvalidRows, r.Report.InvalidFraction));
        var p = Assert.Single(r.Report.RowProblems);
        Assert.Equal((8L, 9), (p.Row, p.Line));
        Assert.Equal(19, r.Data!.RowCount);
        Assert.DoesNotContain(7f, r.Data["age"].FloatValues);
    }

    [Fact]
    public void Too_many_invalid_rows_quarantine_the_file()
    {
        var sb = new StringBuilder(Header);
        for (var i = 0; i < 20; i++) sb.Append(i is 3 or 9 ? "abc" : i.ToString()).Append(",basic,1,0\n");
        var r = Validate(sb.ToString(), Churn(maxInvalid: 0.05));

        Assert.False(r.Accepted);
        Assert.Null(r.Data);
        Assert.Equal(ValidationReport.Verdicts.Quarantined, r.Report.Verdict);
        Assert.Equal(0.1, r.Report.InvalidFraction);
        Assert.Equal(2, r.Report.RowProblems.Count);
        Assert.Empty(r.Report.FileProblems);
    }

    [Fact]
    public void Zero_valid_rows_is_never_accepted()
    {
        var r = Validate($"{Header}x,basic,1,0\n", Churn(maxInvalid: 1));
        Assert.False(r.Accepted);
        Assert.Equal(ValidationReport.Verdicts.Quarantined, r.Report.Verdict);
    }

    [Fact]
    public void Stored_row_problems_are_capped_but_counts_stay_exact()
    {
        var sb = new StringBuilder(Header);
        for (var i = 0; i < 10_050; i++) sb.Append("x,basic,1,0\n");
        sb.Append("1,basic,1,0\n2,pro,0,1\n");
        var r = Validate(sb.ToString(), Churn(maxInvalid: 1));

        Assert.True(r.Accepted);
        Assert.Equal(DatasetContract.MaxStoredRowProblems, r.Report.RowProblems.Count);
        Assert.True(r.Report.RowProblemsTruncated);
        Assert.Equal(10_050, r.Report.ProblemCountsByRule[ContractRules.TypeError]);
        Assert.Equal(10_050, r.Report.InvalidRows);
    }

    [Fact]
    public void Long_values_are_truncated_in_the_report()
    {
        var r = Validate($"{Header}{new string('9', 5000)}x,basic,1,0\n", Churn(maxInvalid: 1));
        Assert.Equal(new string('9', 200), Assert.Single(r.Report.RowProblems).Value);
    }

    [Fact]
    public void Gzip_upload_is_quarantined_as_compressed()
    {
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(Encoding.UTF8.GetBytes($"{Header}1,basic,1,0\n"));
        }

        var r = Validate(gz.ToArray(), Churn());
        Assert.False(r.Accepted);
        Assert.Equal(ContractRules.CompressedContent, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Non_utf8_bytes_in_data_quarantine_the_file()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Header}1,basic,1,0\n").Concat(Encoding.Latin1.GetBytes("2,bäsic,1,0\n")).ToArray();
        var r = Validate(bytes, Churn(maxInvalid: 1));
        Assert.False(r.Accepted);
        Assert.Equal(ContractRules.NotUtf8, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Binary_upload_is_quarantined()
    {
        var r = Validate(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D }, Churn());
        Assert.Equal(ContractRules.BinaryContent, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Broken_quoting_in_the_header_is_a_file_problem()
    {
        var r = Validate("age,\"plan\n", Churn());
        Assert.Equal(ContractRules.UnparseableRow, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Multiclass_and_regression_labels()
    {
        var multi = new ModelSpec
        {
            Task = ModelTask.Multiclass,
            Label = "species",
            Classes = ["setosa", "virginica"],
            Features = [new FeatureSpec("x", FeatureType.Numeric)],
            MaxInvalidRowFraction = 0.5,
            MinimumRows = NoMinimum,
        };
        var r = Validate("x,species\n1,setosa\n2,virginica\n3,rose\n4,setosa\n", multi);
        Assert.Equal(["3:species:unknown-class"], r.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
        Assert.Equal(["setosa", "virginica", "setosa"], r.Data!["species"].TextValues.AsEnumerable());

        var regression = multi with { Task = ModelTask.Regression, Label = "y", Classes = null };
        var g = Validate("x,y\n1,2.5\n2,-1e3\n3,high\n", regression);
        Assert.Equal([2.5f, -1000f], g.Data!["y"].FloatValues);
        Assert.Equal(["3:y:type-error"], g.Report.RowProblems.Select(p => $"{p.Row}:{p.Column}:{p.Rule}"));
    }

    [Fact]
    public void Non_seekable_streams_are_read()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Header}1,basic,1,0\n2,pro,0,1\n");
        var r = DatasetContract.Validate(new NonSeekableStream(bytes), "x.csv", Churn(), CancellationToken.None);
        Assert.True(r.Accepted, Rules(r));
        Assert.Equal([1f, 2f], r.Data!["age"].FloatValues);
        Assert.Equal("x.csv", r.Report.FileName);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        var sb = new StringBuilder(Header);
        for (var i = 0; i < 10_000; i++) sb.Append("1,basic,1,0\n");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DatasetContract.Validate(new MemoryStream(Encoding.UTF8.GetBytes(sb.ToString())), "x.csv", Churn(), cts.Token));
    }
}
