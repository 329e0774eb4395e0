using System.Buffers;
using System.Text;

namespace Serverless.Core.Datasets;

/// <summary>
/// Streaming RFC 4180 reader for comma-separated UTF-8 (BOM optional; CRLF, LF and CR line breaks, mixed).
/// Quoted fields may hold commas, doubled quotes and line breaks; blanks around unquoted values and around
/// quoted fields are trimmed. Fields are exposed as spans over one reused buffer, so reading allocates nothing
/// per row or per character. Encoding faults and binary or compressed input stop the read and are reported in
/// <see cref="Problem"/> rather than thrown; a malformed record (unterminated quote, text after a closing quote)
/// is returned with <see cref="IsMalformed"/> set so the caller can report the row and carry on.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private const int ByteBufferSize = 1 << 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\r\n");

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxRecordChars;
    private readonly int _maxFields;
    private readonly Decoder _decoder = StrictUtf8.GetDecoder();
    private readonly byte[] _bytes = new byte[ByteBufferSize];
    private readonly char[] _chars = new char[StrictUtf8.GetMaxCharCount(ByteBufferSize)];
    private int _pos;
    private int _len;
    private bool _eof;
    private bool _started;
    private long _bytesConsumed;
    private int _line = 1;

    // The previous character was a CR: an LF right after it belongs to the same line break.
    private bool _skipLf;

    private char[] _record = new char[1024];
    private int _recordLength;
    private int[] _starts = new int[32];
    private int[] _ends = new int[32];

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterQuoted,
    }

    /// <param name="maxRecordChars">Longest record; past it reading stops with <see cref="ContractRules.RecordTooLong"/>.</param>
    /// <param name="maxFields">Most fields in a record; past it reading stops with <see cref="ContractRules.TooManyColumns"/>.</param>
    public CsvReader(Stream stream, bool leaveOpen = false, int maxRecordChars = int.MaxValue, int maxFields = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxRecordChars = maxRecordChars;
        _maxFields = maxFields;
    }

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>1-based physical line on which the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>The current record has an unterminated quote or text after a closing quote.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Why reading stopped early (not UTF-8, binary, compressed); null while the file reads cleanly.</summary>
    public FileProblem? Problem { get; private set; }

    /// <summary>Field <paramref name="index"/> of the current record; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<char> this[int index] =>
        (uint)index < (uint)FieldCount
            ? _record.AsSpan(_starts[index], _ends[index] - _starts[index])
            : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Advances to the next record, skipping empty lines. False at end of input or when <see cref="Problem"/> is set.</summary>
    public bool Read()
    {
        FieldCount = 0;
        _recordLength = 0;
        IsMalformed = false;
        if (Problem is not null)
        {
            return false;
        }

        while (true)
        {
            if (_pos == _len && !Fill())
            {
                return false;
            }

            var c = _chars[_pos];
            if (_skipLf)
            {
                _skipLf = false;
                if (c == '\n')
                {
                    _pos++;
                    continue;
                }
            }

            if (c is '\r' or '\n')
            {
                ConsumeLineBreak(c);
                continue;
            }

            break;
        }

        Line = _line;
        ParseRecord();

        // A fault in the middle of a record makes that record untrustworthy too.
        return Problem is null;
    }

    /// <summary>The current record's fields as new strings.</summary>
    public string[] ToArray()
    {
        var fields = new string[FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = new string(this[i]);
        return fields;
    }

    /// <summary>Every remaining record, materialized; check <see cref="Problem"/> once enumeration ends.</summary>
    public IEnumerable<CsvRecord> ReadRecords()
    {
        while (Read())
        {
            yield return new CsvRecord(ToArray(), Line, IsMalformed);
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void ParseRecord()
    {
        var state = State.FieldStart;
        var fieldStart = 0;
        while (true)
        {
            // Checked once per buffer step, so the record buffer stays within the cap plus one decoded block.
            if (_recordLength > _maxRecordChars)
            {
                Problem = new FileProblem(ContractRules.RecordTooLong,
                    $"The record starting on line {Line} is longer than {_maxRecordChars} characters" + (state == State.Quoted ? " (it opens a quote that never closes)." : "."));
                return;
            }

            if (FieldCount > _maxFields)
            {
                Problem = new FileProblem(ContractRules.TooManyColumns, $"The record starting on line {Line} has more than {_maxFields} fields.");
                return;
            }

            if (_pos == _len && !Fill())
            {
                if (state == State.Quoted)
                {
                    IsMalformed = true;
                }

                EndField(fieldStart, trim: state == State.Unquoted);
                return;
            }

            var c = _chars[_pos];
            if (_skipLf)
            {
                // Only reachable inside quotes: keep the CRLF in the value but count one line.
                _skipLf = false;
                if (c == '\n')
                {
                    Append('\n');
                    _pos++;
                    continue;
                }
            }

            switch (state)
            {
                case State.FieldStart:
                    if (c is ' ' or '\t')
                    {
                        _pos++;
                        continue;
                    }

                    if (c == '"')
                    {
                        state = State.Quoted;
                        _pos++;
                        continue;
                    }

                    state = State.Unquoted;
                    goto case State.Unquoted;

                case State.Unquoted:
                {
                    var span = _chars.AsSpan(_pos, _len - _pos);
                    var i = span.IndexOfAny(UnquotedStops);
                    if (i < 0)
                    {
                        Append(span);
                        _pos = _len;
                        continue;
                    }

                    Append(span[..i]);
                    _pos += i;
                    EndField(fieldStart, trim: true);
                    if (span[i] == ',')
                    {
                        _pos++;
                        fieldStart = _recordLength;
                        state = State.FieldStart;
                        continue;
                    }

                    ConsumeLineBreak(span[i]);
                    return;
                }

                case State.Quoted:
                {
                    var span = _chars.AsSpan(_pos, _len - _pos);
                    var i = span.IndexOfAny(QuotedStops);
                    if (i < 0)
                    {
                        Append(span);
                        _pos = _len;
                        continue;
                    }

                    Append(span[..i]);
                    if (span[i] == '"')
                    {
                        _pos += i + 1;
                        state = State.QuoteInQuoted;
                    }
                    else
                    {
                        Append(span[i]);
                        _pos += i;
                        ConsumeLineBreak(span[i]);
                    }

                    continue;
                }

                case State.QuoteInQuoted:
                    if (c == '"')
                    {
                        Append('"');
                        _pos++;
                        state = State.Quoted;
                        continue;
                    }

                    state = State.AfterQuoted;
                    goto case State.AfterQuoted;

                case State.AfterQuoted:
                    if (c is ' ' or '\t')
                    {
                        _pos++;
                        continue;
                    }

                    if (c == ',')
                    {
                        EndField(fieldStart, trim: false);
                        _pos++;
                        fieldStart = _recordLength;
                        state = State.FieldStart;
                        continue;
                    }

                    if (c is '\r' or '\n')
                    {
                        EndField(fieldStart, trim: false);
                        ConsumeLineBreak(c);
                        return;
                    }

                    // Text after a closing quote: keep reading to the field's end so the next field lines up.
                    IsMalformed = true;
                    state = State.Unquoted;
                    goto case State.Unquoted;
            }
        }
    }

    private void ConsumeLineBreak(char c)
    {
        _pos++;
        _line++;
        _skipLf = c == '\r';
    }

    private void EndField(int start, bool trim)
    {
        var end = _recordLength;
        if (trim)
        {
            while (end > start && _record[end - 1] is ' ' or '\t') end--;
        }

        if (FieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        _starts[FieldCount] = start;
        _ends[FieldCount] = end;
        FieldCount++;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        EnsureRecordCapacity(chars.Length);
        chars.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += chars.Length;
    }

    private void Append(char c)
    {
        EnsureRecordCapacity(1);
        _record[_recordLength++] = c;
    }

    private void EnsureRecordCapacity(int extra)
    {
        if (_recordLength + extra > _record.Length)
        {
            Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + extra));
        }
    }

    /// <summary>Decodes the next block of bytes into <see cref="_chars"/>; false at end of input or on a file-level fault.</summary>
    private bool Fill()
    {
        while (!_eof && Problem is null)
        {
            var offset = 0;
            int n;
            if (!_started)
            {
                _started = true;

                // Sniff signatures on a full prefix; a stream may hand back fewer bytes than asked for.
                n = _stream.ReadAtLeast(_bytes, 4, throwOnEndOfStream: false);
                offset = Sniff(_bytes.AsSpan(0, n));
                if (Problem is not null)
                {
                    return false;
                }
            }
            else
            {
                n = _stream.Read(_bytes, 0, _bytes.Length);
            }

            if (n == 0)
            {
                _eof = true;
                return Decode(0, 0, flush: true);
            }

            var nul = _bytes.AsSpan(0, n).IndexOf((byte)0);
            if (nul >= 0)
            {
                Problem = new FileProblem(ContractRules.BinaryContent, $"The file holds a NUL byte at offset {_bytesConsumed + nul}; it is not a text file.");
                return false;
            }

            if (Decode(offset, n - offset, flush: false))
            {
                _bytesConsumed += n;
                return true;
            }

            _bytesConsumed += n;
        }

        return false;
    }

    private bool Decode(int offset, int count, bool flush)
    {
        try
        {
            _len = _decoder.GetChars(_bytes, offset, count, _chars, 0, flush);
            _pos = 0;
            return _len > 0;
        }
        catch (DecoderFallbackException e)
        {
            var at = _bytesConsumed + offset + Math.Max(e.Index, 0);
            Problem = new FileProblem(ContractRules.NotUtf8, $"The file is not valid UTF-8 (invalid byte sequence at offset {at}, near line {_line}). Save it as UTF-8.");
            return false;
        }
    }

    /// <summary>Recognizes compressed and UTF-16 files by their signatures; returns how many BOM bytes to skip.</summary>
    private int Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            Problem = new FileProblem(ContractRules.CompressedContent, "The file is gzip-compressed; upload the uncompressed CSV.");
        }
        else if (head.StartsWith("PK\u0003\u0004"u8))
        {
            Problem = new FileProblem(ContractRules.CompressedContent, "The file is a zip archive; upload the uncompressed CSV.");
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            Problem = new FileProblem(ContractRules.NotUtf8, "The file is UTF-16; save it as UTF-8.");
        }

        return head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
    }
}
