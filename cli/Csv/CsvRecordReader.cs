using System.Text;

namespace Serverless.Cli.Csv;

/// <summary>
/// Reads RFC 4180 records one at a time: comma-separated, fields optionally in double quotes (which may hold commas,
/// line breaks and doubled quotes), CRLF or LF line ends, a UTF-8 BOM skipped. Blank lines are skipped.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>The 1-based line the last record started on, for messages.</summary>
    public long Line { get; private set; }

    private long _nextLine = 1;

    public static CsvRecordReader Open(string path) =>
        new(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true));

    public string[]? Read()
    {
        while (true)
        {
            Line = _nextLine;
            var c = reader.Read();
            if (c < 0) return null;
            if (c == '\n')
            {
                _nextLine++;
                continue;
            }

            if (c == '\r')
            {
                continue;
            }

            return ReadRecord(c);
        }
    }

    private string[] ReadRecord(int c)
    {
        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (quoted) throw new FormatException($"Line {Line}: a quoted field is not closed before the end of the file.");
                fields.Add(_field.ToString());
                return [.. fields];
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n') _nextLine++;
                    _field.Append((char)c);
                }
            }
            else if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                wasQuoted = false;
            }
            else if (c == '\n')
            {
                _nextLine++;
                fields.Add(_field.ToString());
                return [.. fields];
            }
            else if (c == '\r' && reader.Peek() == '\n')
            {
                // The LF ends the record.
            }
            else if (c == '"' && _field.Length == 0 && !wasQuoted)
            {
                quoted = true;
                wasQuoted = true;
            }
            else
            {
                _field.Append((char)c);
            }

            c = reader.Read();
        }
    }
}
