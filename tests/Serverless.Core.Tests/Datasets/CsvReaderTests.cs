using System.Text;
using Serverless.Core.Datasets;

namespace Serverless.Core.Tests.Datasets;

public class CsvReaderTests
{
    private static (List<CsvRecord> Records, FileProblem? Problem) ReadAll(byte[] bytes)
    {
        using var reader = new CsvReader(new MemoryStream(bytes));
        var records = reader.ReadRecords().ToList();
        return (records, reader.Problem);
    }

    private static List<CsvRecord> ReadAll(string text)
    {
        var (records, problem) = ReadAll(Encoding.UTF8.GetBytes(text));
        Assert.Null(problem);
        return records;
    }

    [Fact]
    public void Reads_simple_records_with_line_numbers()
    {
        var records = ReadAll("a,b\n1,2\n3,4\n");
        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
    }

    [Fact]
    public void Mixed_line_breaks_and_missing_final_newline()
    {
        var records = ReadAll("a,b\r\n1,2\n3,4\r5,6");
        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void Utf8_bom_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("name,x\nzoë,1\n")).ToArray();
        var (records, problem) = ReadAll(bytes);
        Assert.Null(problem);
        Assert.Equal("name", records[0].Fields[0]);
        Assert.Equal("zoë", records[1].Fields[0]);
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_quotes_and_line_breaks()
    {
        var records = ReadAll("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\r\nnext,1,2\r\n");
        Assert.Equal(["x,y", "say \"hi\"", "line1\r\nline2\nline3"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(5, records[2].Line);
        Assert.False(records[1].IsMalformed);
    }

    [Fact]
    public void Whitespace_around_unquoted_values_and_quoted_fields_is_trimmed_but_not_inside_quotes()
    {
        var records = ReadAll("  a , b\t,c\n 1 ,  \" x \"  ,\t\n");
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", " x ", ""], records[1].Fields);
    }

    [Fact]
    public void Empty_fields_and_trailing_delimiter_count()
    {
        var records = ReadAll("a,b,c\n,,\n1,,\n");
        Assert.Equal(["", "", ""], records[1].Fields);
        Assert.Equal(["1", "", ""], records[2].Fields);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        var records = ReadAll("a\n\n\r\n1\n\n2\n");
        Assert.Equal([["a"], ["1"], ["2"]], records.Select(r => r.Fields));
        Assert.Equal([1, 4, 6], records.Select(r => r.Line));
    }

    [Fact]
    public void Unterminated_quote_at_eof_is_a_malformed_record()
    {
        var records = ReadAll("a,b\n1,\"oops\n2,3\n");
        Assert.Equal(2, records.Count);
        Assert.True(records[1].IsMalformed);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Text_after_closing_quote_is_malformed_but_the_next_field_lines_up()
    {
        var records = ReadAll("a,b\n\"x\"y,2\n3,4\n");
        Assert.True(records[1].IsMalformed);
        Assert.Equal("2", records[1].Fields[1]);
        Assert.False(records[2].IsMalformed);
    }

    [Fact]
    public void Records_spanning_buffer_boundaries_are_intact()
    {
        var longValue = new string('x', 200_000);
        var sb = new StringBuilder("id,text\n");
        for (var i = 0; i < 3; i++) sb.Append(i).Append(",\"").Append(longValue).Append("\"\"é\"\n");
        var records = ReadAll(sb.ToString());
        Assert.Equal(4, records.Count);
        Assert.All(records.Skip(1), r => Assert.Equal(longValue + "\"é", r.Fields[1]));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void Multibyte_characters_and_crlf_split_across_reads_decode()
    {
        var text = "k,q\r\n" + string.Concat(Enumerable.Repeat("日本語,\"a\r\nb\"\r\n", 20_000));
        var records = ReadFrom(new OneByteAtATimeStream(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(20_001, records.Count);
        Assert.All(records.Skip(1), r => Assert.Equal(["日本語", "a\r\nb"], r.Fields));
        Assert.Equal(2 + (2 * 19_999), records[^1].Line);
    }

    [Fact]
    public void Invalid_utf8_is_a_file_problem_not_an_exception()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();
        var (_, problem) = ReadAll(bytes);
        Assert.Equal(ContractRules.NotUtf8, problem?.Rule);
    }

    [Fact]
    public void Latin1_file_is_not_utf8()
    {
        var (_, problem) = ReadAll(Encoding.Latin1.GetBytes("name\nJosé\n"));
        Assert.Equal(ContractRules.NotUtf8, problem?.Rule);
    }

    [Fact]
    public void Truncated_multibyte_sequence_at_eof_is_not_utf8()
    {
        var (_, problem) = ReadAll(Encoding.UTF8.GetBytes("a\n").Concat(new byte[] { 0xE6, 0x97 }).ToArray());
        Assert.Equal(ContractRules.NotUtf8, problem?.Rule);
    }

    [Fact]
    public void Utf16_is_not_utf8()
    {
        var (_, problem) = ReadAll(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,b\n")).ToArray());
        Assert.Equal(ContractRules.NotUtf8, problem?.Rule);
    }

    [Fact]
    public void Nul_bytes_are_binary_content()
    {
        var (_, problem) = ReadAll([(byte)'a', (byte)'\n', 0, 1, 2, 3]);
        Assert.Equal(ContractRules.BinaryContent, problem?.Rule);
    }

    [Fact]
    public void Gzip_magic_is_compressed_content()
    {
        var gz = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        }

        var (records, problem) = ReadAll(gz.ToArray());
        Assert.Empty(records);
        Assert.Equal(ContractRules.CompressedContent, problem?.Rule);
    }

    [Fact]
    public void Span_access_matches_materialized_fields()
    {
        using var reader = new CsvReader(new MemoryStream("x, y ,\"z\"\n"u8.ToArray()));
        Assert.True(reader.Read());
        Assert.Equal(3, reader.FieldCount);
        Assert.Equal("y", reader[1].ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => reader[3].ToString());
        Assert.False(reader.Read());
    }

    private static List<CsvRecord> ReadFrom(Stream s)
    {
        using var reader = new CsvReader(s);
        var records = reader.ReadRecords().ToList();
        Assert.Null(reader.Problem);
        return records;
    }

    /// <summary>Hands out one byte per read, like a slow network stream.</summary>
    private sealed class OneByteAtATimeStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
