using System.Buffers;
using System.Text;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Scoring;

/// <summary>
/// Reads a predict request body (<c>{"rows":[{field: value, …}, …]}</c>) in one forward pass with a
/// <see cref="Utf8JsonReader"/>, writing each value straight into its input column (the float arrays ONNX Runtime then
/// pins as its input tensors), and collecting every field error instead of stopping at the first. No document, no
/// per-row objects, no field-name strings: names are matched as UTF-8 bytes, and categorical values are the declared
/// category strings (or one shared string per distinct undeclared value).
/// <para>
/// Values are judged by the inputs' <see cref="ColumnContract"/>s, the same rules ingest applies: JSON strings are read
/// like CSV cells (trimmed; missing-value tokens; numbers and yes/no as text), JSON numbers and booleans as typed values.
/// </para>
/// </summary>
public static class PredictionRequestParser
{
    private const int MaxErrors = 1000;

    // Undeclared categories remembered per column and request, so a repeated value is one string, not one per row;
    // bounded so a high-cardinality column costs no more than a string per row.
    private const int MaxRememberedCategories = 1024;

    /// <summary>Nesting the request may use: rows are objects in an array in an object (the old JsonDocument limit).</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// Reads the body up to the start of its <c>rows</c> array (usually the first field): a body that is not an object
    /// with a <c>rows</c> array is refused before the model is looked up. Fields other than <c>rows</c> are skipped.
    /// </summary>
    public static RowsLocation Locate(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            if (!reader.Read()) return RowsLocation.Malformed("The input does not contain any JSON tokens.");
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isRows = reader.ValueTextEquals("rows"u8);
                    reader.Read();
                    if (isRows && reader.TokenType == JsonTokenType.StartArray)
                    {
                        return new RowsLocation((int)reader.BytesConsumed, reader.CurrentState, null, null);
                    }

                    reader.Skip();
                }
            }

            // Not the shape asked for; malformed JSON later in the body still takes precedence, as it did.
            reader.Skip();
            while (reader.Read())
            {
                reader.Skip();
            }

            return new RowsLocation(-1, default, new FieldError(-1, "rows", "The body must be an object with a 'rows' array."), null);
        }
        catch (JsonException e)
        {
            return RowsLocation.Malformed(e.Message);
        }
    }

    /// <summary>
    /// Reads the rows array found by <see cref="Locate"/> and the rest of the body. Rows beyond <paramref name="maxRows"/>
    /// are counted, not read. The table is null when there were errors, no rows, too many rows, or malformed JSON.
    /// </summary>
    public static ParsedRows Parse(ReadOnlySpan<byte> body, RowsLocation rows, PredictionInputSchema schema, int maxRows, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(errors);
        if (rows.Offset < 0) throw new ArgumentException("The body has no rows array.", nameof(rows));
        var reader = new Utf8JsonReader(body[rows.Offset..], isFinalBlock: true, rows.State);
        var columns = new RowColumns(schema, body.Length - rows.Offset);
        try
        {
            var n = ReadRows(ref reader, columns, schema, maxRows, errors);

            // Whatever follows the array (other fields, the closing brace) must still be well-formed JSON, and must not
            // be a second rows array: JSON leaves duplicate names undefined, so refuse rather than pick one.
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("rows"u8))
                {
                    errors.Add(new FieldError(-1, "rows", "The body has more than one 'rows' field."));
                }

                reader.Skip();
            }

            var table = n == 0 || n > maxRows || errors.Count > 0 ? null : columns.ToTable(n);
            return new ParsedRows(table, n, null);
        }
        catch (JsonException e)
        {
            return new ParsedRows(null, 0, e.Message);
        }
    }

    /// <summary>
    /// Counts the rows and checks that the rest of the body is well-formed JSON, without reading any value: for a request
    /// that cannot be scored (no champion, storage down), whose body problems still come first, as they always did.
    /// </summary>
    public static ParsedRows CountRows(ReadOnlySpan<byte> body, RowsLocation rows)
    {
        if (rows.Offset < 0) throw new ArgumentException("The body has no rows array.", nameof(rows));
        var reader = new Utf8JsonReader(body[rows.Offset..], isFinalBlock: true, rows.State);
        try
        {
            var n = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                n++;
            }

            while (reader.Read())
            {
                reader.Skip();
            }

            return new ParsedRows(null, n, null);
        }
        catch (JsonException e)
        {
            return new ParsedRows(null, 0, e.Message);
        }
    }

    /// <summary>Reads a bare rows array (<c>[{…}, …]</c>): the form the contract tests and benches use.</summary>
    public static TabularDataset? Parse(ReadOnlySpan<byte> rowsArray, PredictionInputSchema schema, List<FieldError> errors)
    {
        var reader = new Utf8JsonReader(rowsArray, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new ArgumentException("Expected a JSON array of rows.", nameof(rowsArray));
        var parsed = Parse(rowsArray, new RowsLocation((int)reader.BytesConsumed, reader.CurrentState, null, null), schema, int.MaxValue, errors);
        return parsed.MalformedJson is { } malformed ? throw new ArgumentException(malformed, nameof(rowsArray)) : parsed.Table;
    }

    private static int ReadRows(ref Utf8JsonReader reader, RowColumns columns, PredictionInputSchema schema, int maxRows, List<FieldError> errors)
    {
        var features = schema.Features;
        Span<bool> seen = features.Length <= 256 ? stackalloc bool[features.Length] : new bool[features.Length];
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (i >= maxRows || errors.Count >= MaxErrors)
            {
                // Counted (the 413 says how many) or past the error cap: still read, so malformed JSON is reported.
                reader.Skip();
                i++;
                continue;
            }

            var rowStart = reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(new FieldError(i, "", "Each row must be a JSON object of feature values.", ContractRules.UnparseableRow));
                reader.Skip();
                i++;
                continue;
            }

            columns.EnsureRow(i, maxRows);
            seen.Clear();
            var hint = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var f = FindField(ref reader, schema.Utf8Names, hint);
                if (f < 0)
                {
                    if (!schema.AllowExtraFields) errors.Add(new FieldError(i, NameOf(ref reader), schema.UnknownFieldMessage, ContractRules.ExtraColumn));
                    reader.Skip();
                    continue;
                }

                hint = f + 1;
                if (seen[f])
                {
                    // JSON leaves duplicate names undefined: refuse rather than pick one.
                    errors.Add(new FieldError(i, features[f].Name, "The field appears more than once in this row.", ContractRules.DuplicateColumn));
                    reader.Skip();
                    continue;
                }

                seen[f] = true;
                reader.Read();
                ReadValue(ref reader, schema.Contracts[f], f, i, columns, errors);
            }

            for (var f = 0; f < features.Length; f++)
            {
                if (seen[f]) continue;
                if (!features[f].Nullable) errors.Add(new FieldError(i, features[f].Name, "Required field is missing (the input is not nullable).", ContractRules.MissingColumn));
                else columns.SetMissing(f, i);
            }

            // The first row's size tells how many rows the rest of the body holds: the columns are sized once from it.
            if (i == 0) columns.SizeFrom(reader.BytesConsumed - rowStart, reader.BytesConsumed, maxRows);
            i++;
        }

        return i;
    }

    // Clients send fields in the same order row after row: try the one after the last match first.
    private static int FindField(ref Utf8JsonReader reader, byte[][] names, int hint)
    {
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            if (hint < names.Length && name.SequenceEqual(names[hint])) return hint;
            for (var f = 0; f < names.Length; f++)
            {
                if (name.SequenceEqual(names[f])) return f;
            }

            return -1;
        }

        for (var f = 0; f < names.Length; f++)
        {
            if (reader.ValueTextEquals(names[f])) return f;
        }

        return -1;
    }

    private static void ReadValue(ref Utf8JsonReader reader, ColumnContract c, int f, int row, RowColumns columns, List<FieldError> errors)
    {
        ValueVerdict verdict;
        float number;
        string? category = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                verdict = c.CheckMissing();
                number = float.NaN;
                break;
            case JsonTokenType.Number:
                verdict = reader.TryGetDouble(out var d) ? c.CheckNumber(d, out number) : Refuse(out number);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                verdict = c.CheckBoolean(reader.TokenType == JsonTokenType.True, out number);
                break;
            case JsonTokenType.String:
                if (!ReadText(ref reader, c, f, columns, out verdict, out number, out category))
                {
                    errors.Add(new FieldError(row, c.Name, "The value is not valid UTF-8 text.", ContractRules.NotUtf8));
                    return;
                }

                break;
            default:
                verdict = Refuse(out number);
                break;
        }

        switch (verdict)
        {
            case ValueVerdict.Valid:
                columns.Set(f, row, number, category);
                break;
            case ValueVerdict.Missing:
                columns.SetMissing(f, row);
                break;
            default:
                var message = c.MessageFor(verdict);
                errors.Add(new FieldError(row, c.Name, verdict == ValueVerdict.TypeError ? $"{message} Got {Describe(ref reader)}." : message, ColumnContract.RuleOf(verdict)));
                break;
        }

        // An object or array value was refused above; step over its contents.
        reader.Skip();
    }

    /// <summary>A JSON string, judged as text without allocating it (false when it is not valid UTF-8).</summary>
    private static bool ReadText(ref Utf8JsonReader reader, ColumnContract c, int f, RowColumns columns, out ValueVerdict verdict, out float number, out string? category)
    {
        // UTF-8 never takes fewer bytes than UTF-16 code units, and unescaping only shortens.
        var maxChars = reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = maxChars <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            int length;
            try
            {
                length = reader.CopyString(buffer);
            }
            catch (InvalidOperationException)
            {
                // The reader passes invalid UTF-8 inside strings through; decoding it fails. That is the caller's bad
                // input (a field error), not a server fault.
                (verdict, number, category) = (ValueVerdict.TypeError, float.NaN, null);
                return false;
            }

            var text = buffer[..length];
            verdict = c.CheckText(text, out number, out category);
            if (verdict == ValueVerdict.Valid && c.Type == FeatureType.Categorical)
            {
                category ??= columns.Remember(f, text.Trim());
            }

            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static ValueVerdict Refuse(out float number)
    {
        number = float.NaN;
        return ValueVerdict.TypeError;
    }

    private static string NameOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "(invalid UTF-8)";
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Truncate(TextOf(ref reader))}\"",
        JsonTokenType.Number => $"the number {Truncate(Encoding.UTF8.GetString(reader.ValueSpan))}",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        var other => other.ToString(),
    };

    private static string TextOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "(invalid UTF-8)";
        }
    }

    private static string Truncate(string s) => s.Length > 50 ? s[..50] + "…" : s;

    /// <summary>The input columns being filled: one float array (a future input tensor) or string array per input.</summary>
    private sealed class RowColumns
    {
        private readonly PredictionInputSchema _schema;
        private readonly long _bodyBytes;
        private readonly float[]?[] _floats;
        private readonly string?[]?[] _texts;
        private readonly Dictionary<string, string>?[] _remembered;
        private int _capacity;

        public RowColumns(PredictionInputSchema schema, long bodyBytes)
        {
            _schema = schema;
            _bodyBytes = bodyBytes;
            var features = schema.Features;
            _floats = new float[]?[features.Length];
            _texts = new string?[]?[features.Length];
            _remembered = new Dictionary<string, string>?[features.Length];
        }

        /// <summary>Makes room for row <paramref name="row"/>: one row at first, then the estimate, doubling only if it was short.</summary>
        public void EnsureRow(int row, int maxRows)
        {
            if (row < _capacity) return;
            Resize(row == 0 ? 1 : (int)Math.Min(Math.Max(2L * _capacity, row + 1L), Math.Max(maxRows, row + 1L)));
        }

        /// <summary>Sizes the columns for the whole body from the first row's byte length (rows of one request are alike).</summary>
        public void SizeFrom(long firstRowBytes, long consumed, int maxRows)
        {
            // The bytes left after the first row, at its size plus a comma, with an eighth of slack so rows a little
            // longer than the first do not force a copy. A single-row body has only "]}" left: no resize at all.
            var rest = (_bodyBytes - consumed) / (firstRowBytes + 1);
            if (rest == 0) return;
            Resize((int)Math.Clamp(1 + rest + (rest / 8), 1, Math.Max(maxRows, 1)));
        }

        private void Resize(int capacity)
        {
            if (capacity == _capacity) return;
            for (var f = 0; f < _floats.Length; f++)
            {
                if (_schema.Features[f].Type == FeatureType.Categorical) Array.Resize(ref _texts[f], capacity);
                else Array.Resize(ref _floats[f], capacity);
            }

            _capacity = capacity;
        }

        public void Set(int f, int row, float number, string? category)
        {
            if (_texts[f] is { } texts) texts[row] = category;
            else _floats[f]![row] = number;
        }

        public void SetMissing(int f, int row)
        {
            if (_texts[f] is { } texts) texts[row] = null;
            else _floats[f]![row] = float.NaN;
        }

        public string Remember(int f, ReadOnlySpan<char> value)
        {
            var known = _remembered[f] ??= new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = known.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(value, out var shared)) return shared;
            var text = value.ToString();
            if (known.Count < MaxRememberedCategories) known[text] = text;
            return text;
        }

        public TabularDataset ToTable(int rows)
        {
            Resize(rows);
            var features = _schema.Features;
            var columns = new DataColumn[features.Length];
            for (var f = 0; f < features.Length; f++)
            {
                columns[f] = _texts[f] is { } texts ? DataColumn.Text(features[f].Name, texts) : DataColumn.Float(features[f].Name, _floats[f]!);
            }

            return new TabularDataset(columns);
        }
    }
}

/// <summary>Where a predict body's <c>rows</c> array starts, or why the body has none.</summary>
/// <param name="Offset">Byte offset just past the array's <c>[</c>; -1 when there is none.</param>
/// <param name="State">The reader's state there (depth, line and position for error messages).</param>
/// <param name="Error">The body is JSON but not an object with a <c>rows</c> array.</param>
/// <param name="MalformedJson">The JSON reader's message (with position) when the body is not JSON.</param>
public readonly record struct RowsLocation(int Offset, JsonReaderState State, FieldError? Error, string? MalformedJson)
{
    internal static RowsLocation Malformed(string message) => new(-1, default, null, message);
}

/// <summary>The outcome of reading the rows: the input columns when every row was valid.</summary>
/// <param name="Table">The input columns; null when there were field errors, no rows, too many rows, or malformed JSON.</param>
/// <param name="RowCount">Rows in the array (counted beyond the limit).</param>
/// <param name="MalformedJson">The JSON reader's message when the body turned out not to be JSON.</param>
public sealed record ParsedRows(TabularDataset? Table, int RowCount, string? MalformedJson);
