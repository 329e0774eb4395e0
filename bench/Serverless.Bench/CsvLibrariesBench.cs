using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using nietras.SeparatedValues;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Local.Demo;
using Sylvan.Data.Csv;

namespace Serverless.Bench;

/// <summary>
/// core/Datasets/CsvReader.cs against Sep and Sylvan.Data.Csv: throughput and allocations on the 1M-row churn file
/// (every field of every row touched as a span), then the behaviours CsvReaderTests asserts, each library configured
/// as a replacement would configure it (headerless, quotes unescaped, whitespace trimmed where it can, ragged rows allowed).
/// </summary>
internal static class CsvLibrariesBench
{
    private const string Area = "libraries/csv";
    private const int Rows = 1_000_000;
    private const int Runs = 5;

    /// <summary>One parsed record as the contract needs it: fields, the physical line it starts on, broken quoting.</summary>
    public sealed record Rec(string[] Fields, long? Line, bool Malformed);

    /// <summary>What a library made of a file: records, a file-level problem it reported, or the exception it threw.</summary>
    public sealed record Outcome(List<Rec> Records, string? Problem, string? Exception)
    {
        public override string ToString() => Exception ?? Problem ?? $"{Records.Count} records";
    }

    public sealed record Library(string Name, Func<Stream, long> Scan, Func<Stream, Outcome> Parse);

    private static long ScanSep(Stream s) => ScanSep(() => SepOptions.From(s));

    private static Outcome ParseSep(Stream s) => ParseSep(() => SepOptions.From(s));

    public static readonly Library[] Libraries =
    [
        new("ours (CsvReader)", ScanOurs, ParseOurs),
        new("Sep 0.18.0", ScanSep, ParseSep),
        new("Sylvan.Data.Csv 1.4.4", ScanSylvan, ParseSylvan),
        new("Sep over a strict UTF-8 StreamReader", s => ScanSep(() => SepOptions.From(StrictText(s))), s => ParseSep(() => SepOptions.From(StrictText(s)))),
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What a replacement would wrap Sep in to refuse non-UTF-8 instead of reading U+FFFD.</summary>
    private static TextReader StrictText(Stream s) => new StreamReader(s, StrictUtf8, detectEncodingFromByteOrderMarks: false);

    public static (List<Measurement> Results, string Table) Run(string root)
    {
        var results = new List<Measurement>();
        var bytes = Encoding.UTF8.GetBytes(ChurnSample.GenerateCsv(Rows));
        var mb = bytes.Length / 1e6;
        Console.WriteLine($"csv: {Rows:N0} churn rows, {mb:F1} MB");
        foreach (var lib in Libraries)
        {
            lib.Scan(new MemoryStream(bytes)); // warm-up (JIT, tiering)
            var seconds = new List<double>();
            var allocated = new List<long>();
            long checksum = 0;
            for (var i = 0; i < Runs; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                checksum = lib.Scan(new MemoryStream(bytes));
                seconds.Add(sw.Elapsed.TotalSeconds);
                allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }

            seconds.Sort();
            var median = seconds[Runs / 2];
            var note = $"median of {Runs}, best {seconds[0]:F3} s; checksum {checksum}";
            Console.WriteLine($"  {lib.Name,-24} {median:F3} s  {Rows / median / 1e6:F2} M rows/s  {mb / median:F0} MB/s  alloc {allocated.Min() / 1e6:F2} MB");
            results.Add(new Measurement(Area, $"{lib.Name}: time for 1M rows", median, " s", Note: note));
            results.Add(new Measurement(Area, $"{lib.Name}: rows/s", Rows / median, " rows/s"));
            results.Add(new Measurement(Area, $"{lib.Name}: MB/s", mb / median, " MB/s"));
            results.Add(new Measurement(Area, $"{lib.Name}: allocated per 1M-row read", allocated.Min() / 1e6, " MB", Note: "GC.GetAllocatedBytesForCurrentThread, least of the runs"));
        }

        // Context: the whole contract check (parse + typing + row problems + columns) on the same bytes, with our reader.
        var spec = ModelSpecValidator.Parse(File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json"))).Spec!;
        var contract = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var accepted = DatasetContract.Validate(new MemoryStream(bytes), "churn.csv", spec, CancellationToken.None).Accepted;
            contract.Add(sw.Elapsed.TotalSeconds);
            if (!accepted) throw new InvalidOperationException("the 1M-row churn file was quarantined");
        }

        contract.Sort();
        Console.WriteLine($"  DatasetContract.Validate (whole contract, our reader): {contract[1]:F3} s");
        results.Add(new Measurement(Area, "DatasetContract.Validate on the same 1M rows (context)", contract[1], " s", Note: "median of 3; the reader's share is the first row above"));

        var table = BehaviourTable(results);
        return (results, table);
    }

    // ---- throughput: touch every field as a span ----

    private static long ScanOurs(Stream s)
    {
        long sum = 0;
        using var csv = new CsvReader(s);
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++) sum += csv[i].Length;
            sum += csv.Line & 1;
        }

        return sum;
    }

    private static SepReaderOptions SepOptions => new(Sep.New(',')) { HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true };

    private static long ScanSep(Func<SepReader> open)
    {
        long sum = 0;
        using var reader = open();
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++) sum += row[i].Span.Length;
            sum += row.LineNumberFrom & 1;
        }

        return sum;
    }

    private static CsvDataReaderOptions SylvanOptions => new() { HasHeaders = false, MaxBufferSize = 1 << 24 };

    private static long ScanSylvan(Stream s)
    {
        long sum = 0;
        using var reader = CsvDataReader.Create(new StreamReader(s), SylvanOptions);
        while (reader.Read())
        {
            for (var i = 0; i < reader.RowFieldCount; i++) sum += reader.GetFieldSpan(i).Length;
            sum += reader.RowNumber & 1;
        }

        return sum;
    }

    // ---- behaviour: materialize records ----

    private static Outcome Guard(Func<(List<Rec>, string?)> read)
    {
        try
        {
            var (records, problem) = read();
            return new Outcome(records, problem, null);
        }
        catch (Exception e)
        {
            return new Outcome([], null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static Outcome ParseOurs(Stream s) => Guard(() =>
    {
        using var csv = new CsvReader(s);
        var records = csv.ReadRecords().Select(r => new Rec(r.Fields, r.Line, r.IsMalformed)).ToList();
        return (records, csv.Problem is { } p ? $"{p.Rule}: {p.Message}" : null);
    });

    private static Outcome ParseSep(Func<SepReader> open) => Guard(() =>
    {
        using var reader = open();
        var records = new List<Rec>();
        foreach (var row in reader)
        {
            var fields = new string[row.ColCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = row[i].ToString();
            records.Add(new Rec(fields, row.LineNumberFrom, false));
        }

        return (records, null);
    });

    private static Outcome ParseSylvan(Stream s) => Guard(() =>
    {
        using var reader = CsvDataReader.Create(new StreamReader(s), SylvanOptions);
        var records = new List<Rec>();
        while (reader.Read())
        {
            var fields = new string[reader.RowFieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i);
            records.Add(new Rec(fields, null, false)); // RowNumber counts records, not physical lines
        }

        return (records, null);
    });

    // ---- the CsvReaderTests cases, as predicates over an outcome ----

    private sealed record Case(string Name, byte[] Input, Func<Outcome, bool> Pass, Func<Stream, Stream>? Wrap = null);

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private static bool Records(Outcome o, params string[][] expected) =>
        o.Exception is null && o.Records.Count == expected.Length && o.Records.Zip(expected).All(p => p.First.Fields.SequenceEqual(p.Second));

    private static bool Lines(Outcome o, params long[] expected) => o.Records.Select(r => r.Line ?? -1).SequenceEqual(expected);

    private static bool Rejected(Outcome o, string rule) => o.Problem?.StartsWith(rule, StringComparison.Ordinal) == true;

    private static IEnumerable<Case> Cases()
    {
        yield return new("simple records, line numbers", U("a,b\n1,2\n3,4\n"), o => Records(o, ["a", "b"], ["1", "2"], ["3", "4"]) && Lines(o, 1, 2, 3));
        yield return new("CRLF, LF, CR mixed; no final newline", U("a,b\r\n1,2\n3,4\r5,6"), o => Records(o, ["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]));
        yield return new("… and their line numbers", U("a,b\r\n1,2\n3,4\r5,6"), o => Lines(o, 1, 2, 3, 4));
        yield return new("UTF-8 BOM skipped", [0xEF, 0xBB, 0xBF, .. U("name,x\nzoë,1\n")], o => Records(o, ["name", "x"], ["zoë", "1"]));
        yield return new("quoted: delimiter, doubled quote, CRLF/LF inside", U("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\r\nnext,1,2\r\n"),
            o => Records(o, ["a", "b", "c"], ["x,y", "say \"hi\"", "line1\r\nline2\nline3"], ["next", "1", "2"]));
        yield return new("line of the record after a multi-line field", U("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\r\nnext,1,2\r\n"), o => Lines(o, 1, 2, 5));
        yield return new("blanks trimmed around values and quotes, kept inside", U("  a , b\t,c\n 1 ,  \" x \"  ,\t\n"), o => Records(o, ["a", "b", "c"], ["1", " x ", ""]));
        yield return new("empty fields, trailing delimiter", U("a,b,c\n,,\n1,,\n"), o => Records(o, ["a", "b", "c"], ["", "", ""], ["1", "", ""]));
        yield return new("blank lines skipped", U("a\n\n\r\n1\n\n2\n"), o => Records(o, ["a"], ["1"], ["2"]));
        yield return new("… but counted in line numbers", U("a\n\n\r\n1\n\n2\n"), o => Records(o, ["a"], ["1"], ["2"]) && Lines(o, 1, 4, 6));
        yield return new("ragged row kept with its field count and line", U("a,b,c\n1,2\n\"m\nl\",2,3\n4,5,6,7\n"),
            o => o.Exception is null && o.Records.Select(r => $"{r.Fields.Length}@{r.Line}").SequenceEqual(["3@1", "2@2", "3@3", "4@5"]));
        yield return new("unterminated quote at EOF: flagged row, rows before kept", U("a,b\n1,\"oops\n2,3\n"),
            o => o.Records.Count == 2 && o.Records[0].Fields.SequenceEqual(["a", "b"]) && o.Records[1].Malformed && o.Records[1].Line == 2);
        yield return new("text after closing quote: flagged, next field lines up", U("a,b\n\"x\"y,2\n3,4\n"),
            o => o.Records.Count == 3 && o.Records[1].Malformed && o.Records[1].Fields.ElementAtOrDefault(1) == "2" && !o.Records[2].Malformed);
        var longValue = new string('x', 200_000);
        var sb = new StringBuilder("id,text\n");
        for (var i = 0; i < 3; i++) sb.Append(i).Append(",\"").Append(longValue).Append("\"\"é\"\n");
        yield return new("200k-char quoted fields across buffers", U(sb.ToString()),
            o => o.Exception is null && o.Records.Count == 4 && o.Records.Skip(1).All(r => r.Fields[1] == longValue + "\"é"));
        var text = "k,q\r\n" + string.Concat(Enumerable.Repeat("日本語,\"a\r\nb\"\r\n", 20_000));
        yield return new("multibyte + CRLF split across 1-byte reads", U(text),
            o => o.Exception is null && o.Records.Count == 20_001 && o.Records.Skip(1).All(r => r.Fields.SequenceEqual(["日本語", "a\r\nb"])), s => new OneByteAtATimeStream(s));
        yield return new("invalid UTF-8 → not-utf8 with byte offset", [.. U("a,b\n1,"), 0xC3, 0x28, .. U("\n")], o => Rejected(o, ContractRules.NotUtf8) && o.Problem!.Contains("offset 6", StringComparison.Ordinal));
        yield return new("Latin-1 file → not-utf8", Encoding.Latin1.GetBytes("name\nJosé\n"), o => Rejected(o, ContractRules.NotUtf8));
        yield return new("truncated multibyte at EOF → not-utf8", [.. U("a\n"), 0xE6, 0x97], o => Rejected(o, ContractRules.NotUtf8));
        yield return new("UTF-16 (BOM) → not-utf8", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a,b\n")], o => Rejected(o, ContractRules.NotUtf8));
        yield return new("NUL bytes → binary-content", [(byte)'a', (byte)'\n', 0, 1, 2, 3], o => Rejected(o, ContractRules.BinaryContent));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(U("a,b\n1,2\n"));
        yield return new("gzip → compressed-content", gz.ToArray(), o => Rejected(o, ContractRules.CompressedContent));
    }

    private static string BehaviourTable(List<Measurement> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| CsvReaderTests behaviour | " + string.Join(" | ", Libraries.Select(l => l.Name)) + " |");
        sb.AppendLine("|---|" + string.Concat(Libraries.Select(_ => "---|")));
        var passes = new int[Libraries.Length];
        var count = 0;
        foreach (var c in Cases())
        {
            count++;
            var cells = new List<string>();
            for (var i = 0; i < Libraries.Length; i++)
            {
                Stream input = new MemoryStream(c.Input);
                if (c.Wrap is not null) input = c.Wrap(input);
                var outcome = Libraries[i].Parse(input);
                var pass = c.Pass(outcome);
                if (pass) passes[i]++;
                cells.Add(pass ? "pass" : "FAIL: " + Describe(outcome));
            }

            sb.AppendLine($"| {c.Name} | {string.Join(" | ", cells)} |");
        }

        sb.AppendLine($"| **passed** | {string.Join(" | ", passes.Select(p => $"**{p}/{count}**"))} |");
        for (var i = 0; i < Libraries.Length; i++)
        {
            results.Add(new Measurement(Area, $"{Libraries[i].Name}: CsvReaderTests behaviours passed", passes[i], $"/{count}"));
        }

        Console.WriteLine(sb);
        return sb.ToString();
    }

    /// <summary>A short account of what the library did instead, for the table.</summary>
    private static string Describe(Outcome o)
    {
        if (o.Exception is { } e) return "threw " + Cell(e, 90);
        if (o.Problem is { } p) return "reported " + Cell(p, 60);
        var shown = o.Records.Take(4).Select(r => $"[{string.Join(",", r.Fields.Select(f => Cell(f, 12)))}]" + (r.Line is { } l ? $"@{l}" : "") + (r.Malformed ? "!" : ""));
        return $"{o.Records.Count} rows {string.Join(" ", shown)}{(o.Records.Count > 4 ? " …" : "")}";
    }

    private static string Cell(string s, int max)
    {
        var t = s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\uFFFD", "U+FFFD", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
        return t.Length > max ? t[..max] + "…" : t;
    }

    /// <summary>Hands out one byte per read, like a slow network stream (as in CsvReaderTests).</summary>
    private sealed class OneByteAtATimeStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1));
        public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 1)]);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
