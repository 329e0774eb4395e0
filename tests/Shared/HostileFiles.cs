using System.IO.Compression;
using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Tests.Shared;

/// <summary>One generated dataset file and what the data contract must make of it.</summary>
/// <param name="ExpectedRule">The rule the report must name (file- or row-level); null for a clean accept.</param>
/// <param name="Large">Too big to push through the whole pipeline in the suite; checked at the contract only.</param>
public sealed record HostileFile(string Kind, string FileName, byte[] Bytes, bool ExpectAccepted, string? ExpectedRule, bool Large = false);

/// <summary>
/// Dataset files as they turn up in real life, good and bad, for one small churn spec: encodings, line endings,
/// quoting, schema drift, type garbage, wrong formats, and invalid-row rates on both sides of the threshold.
/// Every file's bytes are distinct, so each drop is its own run.
/// </summary>
public static class HostileFiles
{
    public static readonly ModelSpec Spec = new()
    {
        Task = ModelTask.Binary,
        Label = "churned",
        Features =
        [
            new FeatureSpec("age", FeatureType.Numeric, Min: 0, Max: 120),
            new FeatureSpec("plan", FeatureType.Categorical, Categories: ["basic", "pro", "pro, annual"]),
            new FeatureSpec("active", FeatureType.Boolean, Nullable: true),
        ],
        Trainer = new TrainerSpec(TrainerKind.LightGbm, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 10, ["minimumExampleCountPerLeaf"] = 5 }),
        Gates = new GateSpec(),
    };

    private const string Header = "age,plan,active,churned";

    /// <summary>A valid row; <paramref name="i"/> varies values so both classes and all categories appear.</summary>
    public static string Row(int i) => $"{18 + (i * 7 % 60)},{(i % 3 == 0 ? "pro" : "basic")},{(i % 4 == 0 ? "false" : "true")},{(i % 3 == 0 ^ i % 5 == 0 ? "true" : "false")}";

    private static string Csv(int rows, Func<int, string>? row = null, string header = Header, string newline = "\n") =>
        header + newline + string.Concat(Enumerable.Range(0, rows).Select(i => (row ?? Row)(i) + newline));

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Replace(int i, int every, string bad) => i % every == 1 ? bad : Row(i);

    private static readonly Lazy<IReadOnlyList<HostileFile>> Files = new(Generate);

    public static IReadOnlyList<HostileFile> All() => Files.Value;

    private static IReadOnlyList<HostileFile> Generate()
    {
        var files = new List<HostileFile>
        {
            new("zero-byte", "empty.csv", [], false, ContractRules.EmptyFile),
            new("header-only", "header.csv", Utf8(Header + "\n"), false, ContractRules.EmptyFile),
            new("blank-lines-only", "blank.csv", Utf8("\n\n  \n"), false, ContractRules.EmptyFile),
            new("utf8-bom", "bom.csv", [0xEF, 0xBB, 0xBF, .. Utf8(Csv(200, i => Row(i + 1)))], true, null),
            new("crlf", "crlf.csv", Utf8(Csv(200, i => Row(i + 2), newline: "\r\n")), true, null),
            new("mixed-line-endings", "mixed.csv", Utf8(string.Concat(Csv(200, i => Row(i + 3)).Split('\n').Select((l, i) => l + (i % 2 == 0 ? "\r\n" : "\n"))).TrimEnd() + "\n"), true, null),
            new("cr-only", "cr.csv", Utf8(Csv(200, i => Row(i + 4), newline: "\r")), true, null),
            new("quoted-delimiters", "quoted.csv", Utf8(Csv(200, i => i % 10 == 0 ? $"{20 + i % 50},\"pro, annual\",true,{(i % 20 == 0 ? "true" : "false")}" : Row(i + 5))), true, null),
            new("quoted-newline", "newline.csv", Utf8(Csv(200, i => i == 7 ? "30,\"basic\nsecond line\",true,false" : Row(i + 6))), true, ContractRules.UnknownCategory),
            new("padded-headers-and-values", "padded.csv", Utf8(Csv(200, i => string.Join(" , ", Row(i + 7).Split(',')), header: " age , plan ,active,  churned ")), true, null),
            new("semicolon-delimiter", "semicolon.csv", Utf8(Csv(50, i => Row(i).Replace(',', ';'), header: Header.Replace(',', ';'))), false, ContractRules.MissingColumn),
            new("duplicate-header", "dupe.csv", Utf8(Csv(50, i => Row(i) + ",1", header: Header + ",age")), false, ContractRules.DuplicateColumn),
            new("missing-column", "missing.csv", Utf8(Csv(50, i => string.Join(',', Row(i).Split(',').Where((_, c) => c != 2)), header: "age,plan,churned")), false, ContractRules.MissingColumn),
            new("extra-column", "extra.csv", Utf8(Csv(50, i => Row(i) + ",x", header: Header + ",comment")), false, ContractRules.ExtraColumn),
            new("renamed-column", "renamed.csv", Utf8(Csv(50, header: "Age,plan,active,churned")), false, ContractRules.MissingColumn),
            new("wrong-types", "types.csv", Utf8(Csv(100, i => Replace(i, 2, "thirty,basic,true,false"))), false, ContractRules.TypeError),
            new("nan-values", "nan.csv", Utf8(Csv(100, i => Replace(i, 10, "NaN,basic,true,false"))), false, ContractRules.TypeError),
            new("infinities", "inf.csv", Utf8(Csv(100, i => Replace(i, 10, i % 20 == 1 ? "Infinity,pro,true,true" : "-Infinity,pro,true,true"))), false, ContractRules.TypeError),
            new("huge-number", "huge.csv", Utf8(Csv(100, i => Replace(i, 10, "1e308,basic,false,false"))), false, ContractRules.TypeError),
            new("huge-string", "hugestring.csv", Utf8(Csv(100, i => Replace(i, 25, $"40,{new string('x', 1_000_000)},true,false"))), false, ContractRules.UnknownCategory),
            new("control-characters", "control.csv", Utf8(Csv(100, i => Replace(i, 10, "40,bas\u0001ic,true,false"))), false, ContractRules.UnknownCategory),
            new("unknown-categories", "unknown.csv", Utf8(Csv(100, i => Replace(i, 2, "40,platinum,true,false"))), false, ContractRules.UnknownCategory),
            new("out-of-range", "range.csv", Utf8(Csv(100, i => Replace(i, 5, "500,basic,true,false"))), false, ContractRules.OutOfRange),
            new("null-not-allowed", "nulls.csv", Utf8(Csv(100, i => Replace(i, 5, ",basic,true,false"))), false, ContractRules.NullNotAllowed),
            new("missing-label", "nolabel.csv", Utf8(Csv(100, i => Replace(i, 5, "40,basic,true,"))), false, ContractRules.MissingLabel),
            new("ragged-rows", "ragged.csv", Utf8(Csv(100, i => Replace(i, 5, "40,basic"))), false, ContractRules.UnparseableRow),
            new("unterminated-quote", "quote.csv", Utf8(Csv(100, i => Row(i + 8)) + "40,\"basic,true,false\n"), true, ContractRules.UnparseableRow),
            new("two-percent-invalid", "two-percent.csv", Utf8(Csv(200, i => i % 50 == 3 ? "-1,basic,true,false" : Row(i + 9))), false, ContractRules.OutOfRange),
            new("half-percent-invalid", "half-percent.csv", Utf8(Csv(200, i => i == 42 ? "-1,basic,true,false" : Row(i + 10))), true, ContractRules.OutOfRange),
            new("not-utf8", "latin1.csv", Encoding.Latin1.GetBytes(Csv(50, i => i == 3 ? "40,b\u00e9sic,true,false" : Row(i))), false, ContractRules.NotUtf8),
            new("utf16", "utf16.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Csv(50))], false, ContractRules.NotUtf8),
            new("binary-garbage", "garbage.csv", Garbage(4096), false, ContractRules.BinaryContent),
            new("gzip-as-csv", "gzipped.csv", Gzip(Utf8(Csv(200))), false, ContractRules.CompressedContent),
            new("zip-as-csv", "zipped.csv", Zip(Utf8(Csv(200))), false, ContractRules.CompressedContent),
            new("valid-parquet", "data.parquet", Parquet(ValidTable(300)), true, null),
            new("truncated-parquet", "truncated.parquet", Parquet(ValidTable(300, 1))[..600], false, ContractRules.CorruptParquet),
            new("parquet-wrong-schema", "schema.parquet", Parquet(new TabularDataset([DataColumn.Text("age", ["x", "y"]), DataColumn.Text("plan", ["basic", "pro"]), DataColumn.Float("active", [1, 0]), DataColumn.Float("churned", [1, 0])])), false, ContractRules.SchemaMismatch),
            new("unicode-name", "kundendaten März 2026 (final).csv", Utf8(Csv(200, i => Row(i + 11))), true, null),
        };
        return files;
    }

    /// <summary>The 1M-row valid file: contract-level only (50 MB would dominate the end-to-end suite).</summary>
    public static HostileFile Million() => new("million-rows", "million.csv", Utf8(Csv(1_000_000, i => Row(i + 12))), true, null, Large: true);

    private static TabularDataset ValidTable(int rows, int shift = 0) => new(
    [
        DataColumn.Float("age", Enumerable.Range(0, rows).Select(i => (float)(18 + ((i + shift) * 7 % 60))).ToArray()),
        DataColumn.Text("plan", Enumerable.Range(0, rows).Select(i => (string?)((i + shift) % 3 == 0 ? "pro" : "basic")).ToArray()),
        DataColumn.Float("active", Enumerable.Range(0, rows).Select(i => (i + shift) % 4 == 0 ? 0f : 1f).ToArray()),
        DataColumn.Float("churned", Enumerable.Range(0, rows).Select(i => ((i + shift) % 3 == 0 ^ (i + shift) % 5 == 0) ? 1f : 0f).ToArray()),
    ]);

    private static byte[] Parquet(TabularDataset table)
    {
        using var ms = new MemoryStream();
        DatasetSnapshot.WriteParquetAsync(table, ms, CancellationToken.None).GetAwaiter().GetResult();
        return ms.ToArray();
    }

    private static byte[] Garbage(int n)
    {
        var bytes = new byte[n];
        new Random(5).NextBytes(bytes);
        bytes[10] = 0;
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    private static byte[] Zip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("data.csv").Open();
            entry.Write(data);
        }

        return ms.ToArray();
    }
}
