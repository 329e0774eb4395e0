using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Serverless.Core.Datasets;

namespace Serverless.Core.Tests.Datasets;

public class DatasetSnapshotTests
{
    private static async Task<TabularDataset> RoundTripAsync(TabularDataset data)
    {
        var ms = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, ms, CancellationToken.None);
        ms.Position = 0;
        return await DatasetSnapshot.ReadParquetAsync(ms, CancellationToken.None);
    }

    [Fact]
    public async Task Round_trip_is_exact_including_NaN_nulls_and_extremes()
    {
        var floats = new[] { 0f, -0f, float.NaN, float.MaxValue, float.MinValue, float.Epsilon, 1.1f };
        var texts = new string?[] { "a", null, "", "日本", "x,y\n\"z\"", null, "a" };
        var data = new TabularDataset([DataColumn.Float("f", floats), DataColumn.Text("t", texts), DataColumn.Float("label", [1, 0, 1, 0, 1, 0, 1])]);

        var back = await RoundTripAsync(data);

        Assert.Equal(["f", "t", "label"], back.Columns.Select(c => c.Name));
        Assert.Equal([ColumnKind.Float, ColumnKind.Text, ColumnKind.Float], back.Columns.Select(c => c.Kind));
        Assert.Equal(floats.Select(BitConverter.SingleToInt32Bits), back["f"].FloatValues.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(texts, back["t"].TextValues.AsEnumerable());
        Assert.Equal(data["label"].FloatValues, back["label"].FloatValues);
    }

    [Fact]
    public async Task Empty_dataset_round_trips_with_its_schema()
    {
        var back = await RoundTripAsync(new TabularDataset([DataColumn.Float("f", []), DataColumn.Text("t", [])]));
        Assert.Equal(0, back.RowCount);
        Assert.Equal([ColumnKind.Float, ColumnKind.Text], back.Columns.Select(c => c.Kind));
    }

    [Fact]
    public async Task Large_snapshots_span_several_row_groups()
    {
        var n = DatasetSnapshot.RowGroupSize + 3;
        var values = new float[n];
        for (var i = 0; i < n; i++) values[i] = i;

        var ms = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(new TabularDataset([DataColumn.Float("i", values)]), ms, CancellationToken.None);
        ms.Position = 0;
        await using (var reader = await ParquetReader.CreateAsync(ms, leaveStreamOpen: true))
        {
            Assert.Equal(2, reader.RowGroupCount);
        }

        ms.Position = 0;
        var back = await DatasetSnapshot.ReadParquetAsync(ms, CancellationToken.None);
        Assert.Equal(n, back.RowCount);
        Assert.Equal(values, back["i"].FloatValues);
    }

    [Fact]
    public async Task Reading_a_file_that_is_not_a_snapshot_fails_clearly()
    {
        var ms = new MemoryStream();
        var field = new DataField<int>("n");
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), ms))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(field, new[] { 1 });
        }

        ms.Position = 0;
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => DatasetSnapshot.ReadParquetAsync(ms, CancellationToken.None));
        Assert.Contains("'n'", e.Message);
    }

    [Fact]
    public void Sha256_is_lowercase_hex_of_the_content()
    {
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ContentHash.Sha256Hex(new MemoryStream(Encoding.ASCII.GetBytes("abc"))));
    }

    [Fact]
    public async Task Snapshot_bytes_are_deterministic_so_hashes_identify_content()
    {
        var data = new TabularDataset([DataColumn.Float("f", [1, 2]), DataColumn.Text("t", ["a", null])]);
        var a = new MemoryStream();
        var b = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, a, CancellationToken.None);
        await DatasetSnapshot.WriteParquetAsync(data, b, CancellationToken.None);
        a.Position = b.Position = 0;
        Assert.Equal(ContentHash.Sha256Hex(a), ContentHash.Sha256Hex(b));
    }

    [Fact]
    public void Manifest_describes_roles_and_survives_json()
    {
        var data = new TabularDataset([DataColumn.Float("age", [1]), DataColumn.Text("plan", ["a"]), DataColumn.Float("churned", [1])]);
        var schema = DatasetManifest.DescribeSchema(data, "churned");
        Assert.Equal(
            [new ManifestColumn("age", "float", "feature"), new ManifestColumn("plan", "text", "feature"), new ManifestColumn("churned", "float", "label")],
            schema);

        var manifest = new DatasetManifest("churn", new string('a', 64), 1, schema, "upload.csv", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), 2, new string('b', 64));
        var json = JsonSerializer.Serialize(manifest, PlatformJson.Options);
        Assert.Contains("\"specSha256\":", json);
        var back = JsonSerializer.Deserialize<DatasetManifest>(json, PlatformJson.Options)!;
        Assert.Equal(manifest.Schema, back.Schema);
        Assert.Equal(manifest with { Schema = back.Schema }, back);
    }
}
