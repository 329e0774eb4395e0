using System.Text;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Scoring;

public sealed class PredictionRequestParserTests
{
    private static readonly IReadOnlyList<FeatureSpec> Inputs =
    [
        new("age", FeatureType.Numeric),
        new("income", FeatureType.Numeric, Nullable: true),
        new("plan", FeatureType.Categorical, Categories: ["a", "b"]),
        new("autopay", FeatureType.Boolean),
    ];

    private static readonly PredictionInputSchema Schema = new(Inputs);

    private static (Serverless.Core.Datasets.TabularDataset? Table, List<FieldError> Errors) Parse(string rowsJson)
    {
        var errors = new List<FieldError>();
        return (PredictionRequestParser.Parse(Encoding.UTF8.GetBytes(rowsJson), Schema, errors), errors);
    }

    [Fact]
    public void Valid_rows_become_typed_columns_in_input_order()
    {
        var (table, errors) = Parse("""[{"age":30,"income":null,"plan":" b ","autopay":true},{"age":41.5,"plan":"a","autopay":0}]""");

        Assert.Empty(errors);
        Assert.NotNull(table);
        Assert.Equal(["age", "income", "plan", "autopay"], table.Columns.Select(c => c.Name));
        Assert.Equal([30f, 41.5f], table["age"].FloatValues);
        Assert.True(float.IsNaN(table["income"].FloatValues[0]));
        Assert.True(float.IsNaN(table["income"].FloatValues[1]));
        Assert.Equal(new string?[] { "b", "a" }, table["plan"].TextValues);
        Assert.Equal([1f, 0f], table["autopay"].FloatValues);
    }

    [Fact]
    public void Every_field_error_is_reported_with_row_and_field()
    {
        var (table, errors) = Parse("""
            [
              {"age":"thirty","plan":"a","autopay":true},
              {"plan":5,"autopay":"maybe","extra":1},
              {"age":null,"plan":"a","autopay":2},
              7
            ]
            """);

        Assert.Null(table);
        var got = errors.Select(e => (e.Row, e.Field)).ToHashSet();
        Assert.Equal(
            new HashSet<(int, string)>
            {
                (0, "age"),
                (1, "plan"), (1, "autopay"), (1, "extra"), (1, "age"),
                (2, "age"), (2, "autopay"),
                (3, ""),
            },
            got);
        Assert.Contains(errors, e => e is { Row: 1, Field: "extra" } && e.Message.Contains("Unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 1, Field: "age" } && e.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1e39")]
    [InlineData("-1e300")]
    public void Numbers_beyond_float_range_are_rejected(string number)
    {
        var (table, errors) = Parse($$"""[{"age":{{number}},"plan":"a","autopay":false}]""");

        Assert.Null(table);
        Assert.Equal("age", Assert.Single(errors).Field);
    }

    [Fact]
    public void Escaped_names_and_values_read_like_plain_ones()
    {
        var (table, errors) = Parse("""[{"\u0061ge":1,"plan":"\u0062","autopay":true}]""");

        Assert.Empty(errors);
        Assert.Equal([1f], table!["age"].FloatValues);
        Assert.Equal(new string?[] { "b" }, table["plan"].TextValues);
    }

    [Fact]
    public void Invalid_utf8_is_a_field_error_not_a_crash()
    {
        var json = "[{\"age\":1,\"plan\":\"a\",\"autopay\":true,\"x\":1}]"u8.ToArray();
        var bad = json.AsSpan().IndexOf("\"a\""u8) + 1;
        json[bad] = 0xFF;
        var name = json.AsSpan().IndexOf("\"x\""u8) + 1;
        json[name] = 0xFE;
        var errors = new List<FieldError>();

        Assert.Null(PredictionRequestParser.Parse(json, Schema, errors));
        Assert.Contains(errors, e => e is { Row: 0, Field: "plan" } && e.Message.Contains("UTF-8", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 0 && e.Message.Contains("Unknown field", StringComparison.Ordinal));
    }
}
