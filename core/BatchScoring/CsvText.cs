namespace Serverless.Core.BatchScoring;

/// <summary>Writes RFC 4180 fields: quoted only when they hold a comma, quote or line break.</summary>
public static class CsvText
{
    public static void WriteField(TextWriter writer, ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        foreach (var c in value)
        {
            if (c == '"') writer.Write('"');
            writer.Write(c);
        }

        writer.Write('"');
    }

    public static void WriteRecord(TextWriter writer, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first) writer.Write(',');
            WriteField(writer, f);
            first = false;
        }

        writer.Write('\n');
    }
}
