using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core;

// JSON has no NaN or ±Infinity. A metric can be undefined on real data (AUC of a holdout with one class is NaN; a
// drift statistic over an empty window is NaN), and a default System.Text.Json serializer throws on it mid-pipeline,
// while named literals ("NaN" strings) turn a number field into a string for every client. So every non-finite value
// is written as null, which means "undefined on this data"; reading null (or a named literal written by an older
// version) gives NaN back.

/// <summary>Writes a non-finite double as null; reads null, numbers and named literals.</summary>
public sealed class NonFiniteAsNullDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => NamedLiteral(reader.GetString()),
        var t => throw new JsonException($"Expected a number or null, found {t}."),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    internal static double NamedLiteral(string? text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => throw new JsonException($"'{text}' is not a number."),
    };
}

/// <summary>Writes a non-finite float as null; reads null, numbers and named literals.</summary>
public sealed class NonFiniteAsNullSingleConverter : JsonConverter<float>
{
    public override bool HandleNull => true;

    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => float.NaN,
        JsonTokenType.Number => reader.GetSingle(),
        JsonTokenType.String => (float)NonFiniteAsNullDoubleConverter.NamedLiteral(reader.GetString()),
        var t => throw new JsonException($"Expected a number or null, found {t}."),
    };

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>
/// A metrics map whose undefined values are written as null, for payloads that a serializer other than
/// <see cref="PlatformJson"/> writes (Durable Task activity outputs and orchestration results): put it on the property.
/// </summary>
public sealed class MetricsJsonConverter : JsonConverter<IReadOnlyDictionary<string, double>>
{
    private static readonly NonFiniteAsNullDoubleConverter Number = new();

    public override IReadOnlyDictionary<string, double>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object of metric values.");
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            metrics[name] = Number.Read(ref reader, typeof(double), options);
        }

        return metrics;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, v) in value)
        {
            writer.WritePropertyName(options.DictionaryKeyPolicy?.ConvertName(name) ?? name);
            Number.Write(writer, v, options);
        }

        writer.WriteEndObject();
    }
}
