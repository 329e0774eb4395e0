using System.Text.Json;

namespace Serverless.Core.Scoring;

/// <summary>Reads the spec-named routing field (<c>release.routingKey</c>) from a predict body's first row.</summary>
public static class RoutingKeyField
{
    /// <summary>The field's value as text (a string, or a number's JSON text), or null when the first row lacks it.</summary>
    public static string? FirstRow(ReadOnlySpan<byte> body, RowsLocation rows, string field)
    {
        if (rows.Offset < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body[rows.Offset..], isFinalBlock: true, rows.State);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(field);
                reader.Read();
                if (match)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The parser reports malformed rows with their position; routing just falls back to the request id.
        }

        return null;
    }
}
