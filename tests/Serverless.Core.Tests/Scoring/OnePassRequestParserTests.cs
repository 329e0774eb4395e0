using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Scoring;

/// <summary>
/// The one-pass <see cref="PredictionRequestParser"/> against the document-based parser it replaced
/// (<see cref="JsonElementRequestParser"/>): the same columns bit for bit and the same errors, message for message; and
/// its columns scored by the platform against raw ONNX Runtime on the original values.
/// </summary>
public sealed class OnePassRequestParserTests
{
    private static readonly PredictionInputSchema Strict = new(
    [
        new("age", FeatureType.Numeric, Min: 0, Max: 130),
        new("income", FeatureType.Numeric, Nullable: true),
        new("plan", FeatureType.Categorical, Categories: ["a", "b"]),
        new("autopay", FeatureType.Boolean),
    ]);

    private static readonly PredictionInputSchema Lenient = new(
        [
            new("age", FeatureType.Numeric, Nullable: true),
            new("plan", FeatureType.Categorical, Nullable: true, Categories: ["a", "b"], UnknownCategory: UnknownCategoryPolicy.Allow),
            new("city", FeatureType.Categorical, Nullable: true),
            new("autopay", FeatureType.Boolean, Nullable: true),
        ],
        ["", "NA", "NaN", "?"],
        allowExtraFields: true);

    [Theory]
    [InlineData("""[{"age":30,"income":1.5,"plan":"a","autopay":true}]""")] // one row
    [InlineData("""[{"plan":"a","autopay":true}]""")] // a required field missing
    [InlineData("""[{"age":30,"plan":"a"}]""")] // a required boolean missing
    [InlineData("""[{"age":"thirty","income":"1,5","plan":7,"autopay":"maybe"}]""")] // wrong types, as strings and numbers
    [InlineData("""[{"age":[1],"income":{"x":1},"plan":["a"],"autopay":{}}]""")] // arrays and objects as values
    [InlineData("""[{"age":null,"income":null,"plan":null,"autopay":null}]""")] // null where allowed and where not
    [InlineData("""[{"age":" 30 ","income":"NA","plan":" b ","autopay":"yes"}]""")] // text cells read like CSV
    [InlineData("""[{"age":"NaN","income":"NaN","plan":"c","autopay":2}]""")] // "NaN" is no missing token here; unknown category; 2 is no boolean
    [InlineData("""[{"age":131,"income":-1e39,"plan":"a","autopay":1}]""")] // out of range; beyond float
    [InlineData("""[{"age":1e400,"plan":"a","autopay":0}]""")] // beyond double
    [InlineData("""[{"age":1,"plan":"a","autopay":true,"zip":"x","zap":{"deep":[1,2]}}]""")] // unknown fields
    [InlineData("""[{"age":1,"age":2,"plan":"a","autopay":true}]""")] // duplicate field
    [InlineData("""[{"\u0061ge":1,"pl\u0061n":"\u0062","autopay":true}]""")] // escaped names and values
    [InlineData("""[7,"x",null,[],{}]""")] // rows that are not objects, and an empty one
    [InlineData("""[{"autopay":true,"plan":"b","income":2,"age":3},{"age":4,"plan":"a","autopay":false}]""")] // field order varies
    [InlineData("""[{"age":1.0000001,"income":3.4028235e38,"plan":"a","autopay":false},{"age":0.1,"income":-0,"plan":"b","autopay":true}]""")] // float rounding
    public void Rows_read_exactly_as_the_document_parser_read_them(string rows) => AssertSameAsDocumentParser(rows, Strict);

    [Theory]
    [InlineData("""[{"age":"NaN","plan":"NA","city":"?","autopay":""}]""")] // the spec's missing-value tokens, NaN among them
    [InlineData("""[{"age":null,"plan":"zz","city":"Oslo","autopay":"no","extra":[1]}]""")] // allowed unknown category and extra field
    [InlineData("""[{}]""")] // every field missing, all nullable
    [InlineData("""[{"city":"Oslo"},{"city":"Bergen"},{"city":" Oslo "},{"city":"\u004Fslo"}]""")] // undeclared categories repeat
    public void Lenient_schemas_read_exactly_as_the_document_parser_read_them(string rows) => AssertSameAsDocumentParser(rows, Lenient);

    [Fact]
    public void Ten_thousand_varied_rows_read_exactly_as_the_document_parser_read_them()
    {
        var rng = new Random(7);
        var rows = new StringBuilder("[");
        for (var i = 0; i < 10_000; i++)
        {
            if (i > 0) rows.Append(',');
            var fields = new List<string>();
            if (rng.NextDouble() < 0.9) fields.Add("\"age\":" + Pick(rng, Number(rng.NextDouble() * 100), "null", "\"NA\"", "\" 42 \"", "\"7e1\""));
            if (rng.NextDouble() < 0.9) fields.Add("\"plan\":" + Pick(rng, "\"a\"", "\"b\"", "\"zz\"", "null", "\" a\"", "\"\""));
            if (rng.NextDouble() < 0.9) fields.Add("\"city\":" + Pick(rng, "\"Oslo\"", "\"Bergen\"", $"\"c{rng.Next(3000)}\"", "null", "\"NaN\""));
            if (rng.NextDouble() < 0.9) fields.Add("\"autopay\":" + Pick(rng, "true", "false", "0", "1", "\"yes\"", "null"));
            if (rng.NextDouble() < 0.05) fields.Add("\"other\":" + Pick(rng, "1", "[1,{\"a\":2}]", "\"x\""));

            // Some rows padded, so rows differ in size from the first (the columns are sized from it).
            var padding = rng.NextDouble() < 0.1 ? new string(' ', rng.Next(200)) : "";
            rows.Append('{').Append(padding).Append(string.Join(",", fields.OrderBy(_ => rng.Next()))).Append('}');
        }

        AssertSameAsDocumentParser(rows.Append(']').ToString(), Lenient, expectValid: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void Columns_grow_when_later_rows_are_shorter_than_the_first(int rows)
    {
        var first = """{"age":1,            "plan":"a",             "autopay":true,      "income":2}""";
        var json = "[" + first + string.Concat(Enumerable.Range(1, rows).Select(i => $",{{\"age\":{i},\"plan\":\"b\",\"autopay\":false}}")) + "]";
        var table = AssertSameAsDocumentParser(json, Strict, expectValid: true)!;
        Assert.Equal(rows + 1, table.RowCount);
        Assert.Equal(rows, table["age"].FloatValues[^1]);
    }

    [Fact]
    public void Rows_beyond_the_limit_are_counted_not_read()
    {
        var body = "{\"rows\":[" + string.Join(",", Enumerable.Repeat("""{"age":1,"plan":"a","autopay":true}""", 7)) + "]}";
        var bytes = Encoding.UTF8.GetBytes(body);
        var errors = new List<FieldError>();

        var parsed = PredictionRequestParser.Parse(bytes, PredictionRequestParser.Locate(bytes), Strict, 5, errors);

        Assert.Equal(7, parsed.RowCount);
        Assert.Null(parsed.Table);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_second_rows_field_is_refused_not_ignored()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"rows":[{"age":1,"plan":"a","autopay":true}],"rows":[{"age":2,"plan":"b","autopay":false}]}""");
        var errors = new List<FieldError>();

        var parsed = PredictionRequestParser.Parse(bytes, PredictionRequestParser.Locate(bytes), Strict, 100, errors);

        Assert.Null(parsed.Table);
        Assert.Equal(new FieldError(-1, "rows", "The body has more than one 'rows' field."), Assert.Single(errors));
    }

    [Theory]
    [InlineData("""{"rows":[]}""", 0)]
    [InlineData("""{"rows":[{"x":[1,{"y":2}]},7,"a",null,[]],"after":{"rows":[1,2]}}""", 5)]
    public void Rows_are_counted_without_a_model(string body, int expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var counted = PredictionRequestParser.CountRows(bytes, PredictionRequestParser.Locate(bytes));

        Assert.Null(counted.MalformedJson);
        Assert.Equal(expected, counted.RowCount);
    }

    [Theory]
    [InlineData("""{"rows":[{"age":1,"plan":"a","autopay":true}]}""", 1)]
    [InlineData("""{"model":"x","other":{"rows":[1]},"rows":[{"age":1,"plan":"a","autopay":true}],"after":[1,2]}""", 1)] // rows not first; nested "rows" is not it
    [InlineData("""  {"rows":[]}  """, 0)]
    public void The_rows_array_is_found_anywhere_in_the_top_level_object(string body, int expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var at = PredictionRequestParser.Locate(bytes);
        Assert.Null(at.Error);
        Assert.Null(at.MalformedJson);

        var parsed = PredictionRequestParser.Parse(bytes, at, Strict, 100, []);

        Assert.Equal(expected, parsed.RowCount);
        Assert.Equal(expected, parsed.Table?.RowCount ?? 0);
    }

    [Theory]
    [InlineData("""[{"rows":[]}]""")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""{"rows":"x"}""")]
    [InlineData("""{"rows":null}""")]
    [InlineData("7")]
    public void A_body_without_a_rows_array_names_the_rows_field(string body)
    {
        var at = PredictionRequestParser.Locate(Encoding.UTF8.GetBytes(body));

        Assert.Null(at.MalformedJson);
        Assert.Equal(new FieldError(-1, "rows", "The body must be an object with a 'rows' array."), at.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"rows":""")]
    [InlineData("""{"rows":[{"age":1}""")]
    [InlineData("""{"rows":[{"age":1,}]}""")]
    [InlineData("""{"rows":[{"age":NaN}]}""")]
    [InlineData("""{"rows":[]} x""")]
    [InlineData("""{"rows":[], "after": }""")]
    [InlineData("""{"items":[}""")]
    public void Malformed_json_gets_the_same_message_as_before(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var expected = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 }).Dispose()).Message;

        var at = PredictionRequestParser.Locate(bytes);
        var message = at.MalformedJson ?? (at.Error is null ? PredictionRequestParser.Parse(bytes, at, Strict, 100, []).MalformedJson : null);

        Assert.Equal(expected, message);
        if (at.MalformedJson is null && at.Error is null)
        {
            // The check made when there is no model to parse against finds the same.
            Assert.Equal(expected, PredictionRequestParser.CountRows(bytes, at).MalformedJson);
        }
    }

    [Fact]
    public void Scores_match_raw_onnx_runtime_within_1e_6()
    {
        var spec = SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm);
        var trained = new MlNetTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary, 600), CancellationToken.None);
        using var model = new OnnxModel(trained.Onnx);
        var rows = SyntheticData.Concat(trained.Holdout, SyntheticData.EdgeRows(ModelTask.Binary));
        var schema = new PredictionInputSchema(spec.Features);
        var expected = RawProbabilities(trained.Onnx, rows);

        foreach (var subset in new[] { Enumerable.Range(0, 1).ToList(), Enumerable.Range(0, rows.RowCount).ToList() })
        {
            var body = Body(rows.Select(subset), spec.Features);
            var errors = new List<FieldError>();
            var table = PredictionRequestParser.Parse(body, PredictionRequestParser.Locate(body), schema, 10_000, errors).Table;
            Assert.Empty(errors);

            var scored = model.Predict(table!);
            Assert.Equal(subset.Count, scored.Count);
            for (var i = 0; i < subset.Count; i++)
            {
                Assert.Equal(expected[subset[i]], scored[i].Score!.Value, 1e-6);
            }
        }
    }

    private static TabularDataset? AssertSameAsDocumentParser(string rows, PredictionInputSchema schema, bool expectValid = false)
    {
        var oldErrors = new List<FieldError>();
        using var document = JsonDocument.Parse(rows);
        var before = JsonElementRequestParser.Parse(document.RootElement, schema, oldErrors);
        var newErrors = new List<FieldError>();
        var after = PredictionRequestParser.Parse(Encoding.UTF8.GetBytes(rows), schema, newErrors);

        Assert.Equal(oldErrors, newErrors);
        Assert.Equal(before is null, after is null);
        if (expectValid) Assert.NotNull(after);
        if (before is null) return null;

        Assert.Equal(before.Columns.Select(c => (c.Name, c.Kind)), after!.Columns.Select(c => (c.Name, c.Kind)));
        foreach (var column in before.Columns)
        {
            if (column.Kind == ColumnKind.Float)
            {
                // Bit for bit, NaN (missing) included.
                Assert.Equal(column.FloatValues.Select(BitConverter.SingleToInt32Bits), after[column.Name].FloatValues.Select(BitConverter.SingleToInt32Bits));
            }
            else
            {
                Assert.Equal(column.TextValues, after[column.Name].TextValues);
            }
        }

        return after;
    }

    /// <summary>P(positive) straight from an <see cref="InferenceSession"/> on tensors built from the original columns.</summary>
    private static float[] RawProbabilities(byte[] onnx, TabularDataset rows)
    {
        using var session = new InferenceSession(onnx);
        var n = rows.RowCount;
        long[] shape = [n, 1];
        var inputs = session.InputMetadata.Keys.Select(name =>
        {
            var column = rows[name];
            if (column.Kind == ColumnKind.Float) return OrtValue.CreateTensorValueFromMemory(column.FloatValues, shape);
            var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < n; i++) tensor.StringTensorSetElementAt((column.TextValues[i] ?? "").AsSpan(), i);
            return tensor;
        }).ToArray();
        try
        {
            var probability = session.OutputMetadata.Keys.First(o => o.StartsWith("Probability", StringComparison.Ordinal));
            using var results = session.Run(new RunOptions(), [.. session.InputMetadata.Keys], inputs, [probability]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }
    }

    private static byte[] Body(TabularDataset rows, IReadOnlyList<FeatureSpec> features)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("rows");
            for (var i = 0; i < rows.RowCount; i++)
            {
                json.WriteStartObject();
                foreach (var f in features)
                {
                    var column = rows[f.Name];
                    if (column.Kind == ColumnKind.Text) json.WriteString(f.Name, column.TextValues[i]);
                    else if (float.IsNaN(column.FloatValues[i])) json.WriteNull(f.Name);
                    else if (f.Type == FeatureType.Boolean) json.WriteBoolean(f.Name, column.FloatValues[i] != 0);
                    else json.WriteNumber(f.Name, column.FloatValues[i]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Pick(Random rng, params string[] options) => options[rng.Next(options.Length)];

    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
