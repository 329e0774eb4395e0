using System.Text;
using System.Text.Json;
using Parquet;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using static Serverless.Core.Tests.Datasets.ContractTestSpecs;

namespace Serverless.Core.Tests.Datasets;

/// <summary>Issue #11 item 1: the contract hands valid rows to a <see cref="SnapshotWriter"/> a row group at a time.</summary>
public sealed class SnapshotWriterTests
{
    [Fact]
    public async Task A_snapshot_written_in_row_groups_reads_back_as_the_rows_the_contract_keeps_with_the_label_class_names()
    {
        // positiveClass "left": the other class ("stayed") first appears after the first row group was written.
        var spec = Churn() with { PositiveClass = "left" };
        var csv = new StringBuilder("age,plan,active,churned\n");
        for (var i = 0; i < 1_000; i++)
        {
            csv.Append(i % 9 == 0 ? "" : (20 + (i % 40)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(i % 3 == 0 ? "pro" : "basic").Append(',').Append(i % 2 == 0 ? "true" : "false").Append(',')
                .Append(i < 150 || i % 4 == 0 ? "left" : "stayed").Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var expected = DatasetContract.Validate(new MemoryStream(bytes), "f.csv", spec, CancellationToken.None);
        var parquet = new MemoryStream();
        ContractResult streamed;
        await using (var writer = new SnapshotWriter(DatasetContract.SnapshotColumns(spec), parquet, rowGroupRows: 128, CancellationToken.None))
        {
            streamed = DatasetContract.Validate(new MemoryStream(bytes), "f.csv", spec, DatasetLimits.Default, writer, CancellationToken.None);
            await writer.CompleteAsync();
            Assert.Equal(8, writer.RowGroups);
        }

        Assert.True(streamed.Accepted);
        Assert.Null(streamed.Data);
        Assert.Equal(JsonSerializer.Serialize(expected.Report, PlatformJson.Options), JsonSerializer.Serialize(streamed.Report, PlatformJson.Options));
        await using (var reader = await ParquetReader.CreateAsync(new MemoryStream(parquet.ToArray())))
        {
            Assert.Equal(8, reader.RowGroupCount);
        }

        var read = await DatasetSnapshot.ReadParquetAsync(new MemoryStream(parquet.ToArray()), CancellationToken.None);
        Ingest.StreamingIngestTests.AssertSameData(expected.Data!, read);
        Assert.Equal(["stayed", "left"], read["churned"].ClassNames);
    }

    [Fact]
    public void The_label_checks_see_every_row_when_rows_leave_in_row_groups()
    {
        // One class only: caught from the label values kept aside, though the rows left for the snapshot long before.
        var spec = Churn() with { MinimumRows = new MinimumRowsSpec(Total: 10, PerClass: 1, Holdout: 1, HoldoutPerClass: 0) };
        var csv = "age,plan,active,churned\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{20 + (i % 30)},pro,true,false\n"));
        var r = DatasetContract.Validate(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "f.csv", spec, DatasetLimits.Default, new SnapshotWriter(DatasetContract.SnapshotColumns(spec), new MemoryStream(), 64, CancellationToken.None), CancellationToken.None);

        Assert.False(r.Accepted);
        Assert.Equal(ContractRules.SingleClass, Assert.Single(r.Report.FileProblems).Rule);
    }

    [Fact]
    public void Per_class_minimums_count_every_row_when_rows_leave_in_row_groups()
    {
        // 300 rows, 5 positives: the class minimum (10) fails with the count, as it does when rows stay in memory.
        var spec = Churn() with { MinimumRows = new MinimumRowsSpec(Total: 10, PerClass: 10, Holdout: 1, HoldoutPerClass: 0) };
        var csv = "age,plan,active,churned\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{20 + (i % 30)},pro,true,{(i % 60 == 7 ? "true" : "false")}\n"));
        var bytes = Encoding.UTF8.GetBytes(csv);
        var streamed = DatasetContract.Validate(new MemoryStream(bytes), "f.csv", spec, DatasetLimits.Default, new SnapshotWriter(DatasetContract.SnapshotColumns(spec), new MemoryStream(), 64, CancellationToken.None), CancellationToken.None);
        var inMemory = DatasetContract.Validate(new MemoryStream(bytes), "f.csv", spec, CancellationToken.None);

        var problem = Assert.Single(streamed.Report.FileProblems);
        Assert.Equal(ContractRules.TooLittleData, problem.Rule);
        Assert.Contains("class 'true': 5 rows (need 10)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(Assert.Single(inMemory.Report.FileProblems).Message, problem.Message);
    }
}
