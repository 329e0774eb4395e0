namespace Serverless.Cli.Csv;

/// <summary>Writes RFC 4180 records: a field is quoted when it holds a comma, a quote, a line break or edge spaces.</summary>
public static class CsvRecordWriter
{
    public static void Write(TextWriter writer, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first) writer.Write(',');
            first = false;
            writer.Write(Escape(field ?? ""));
        }

        writer.Write('\n');
    }

    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
