using Serverless.Core.Datasets;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Reliability;

/// <summary>Every hostile file gets the contract's verdict and a report naming the rule, and nothing throws.</summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> Kinds() => new(HostileFiles.All().Select(f => f.Kind));

    [Fact]
    public void There_are_at_least_thirty_kinds_with_distinct_bytes()
    {
        var files = HostileFiles.All();
        Assert.True(files.Count >= 30, $"{files.Count} kinds");
        Assert.Equal(files.Count, files.Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(f.Bytes))).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_gets_the_contract_verdict_and_rule(string kind)
    {
        var file = HostileFiles.All().Single(f => f.Kind == kind);
        Check(file);
    }

    [Fact]
    public void A_million_row_file_is_accepted_whole() => Check(HostileFiles.Million(), expectRows: 1_000_000);

    private static void Check(HostileFile file, long? expectRows = null)
    {
        var result = DatasetContract.Validate(new MemoryStream(file.Bytes), file.FileName, HostileFiles.Spec, CancellationToken.None);
        var report = result.Report;
        var rules = report.FileProblems.Select(p => p.Rule).Concat(report.RowProblems.Select(p => p.Rule)).Distinct().ToList();

        Assert.True(file.ExpectAccepted == result.Accepted, $"{file.Kind}: accepted={result.Accepted}, verdict {report.Verdict}, rules [{string.Join(", ", rules)}]");
        Assert.Equal(result.Accepted, result.Data is not null);
        if (file.ExpectedRule is { } rule)
        {
            Assert.True(rules.Contains(rule), $"{file.Kind}: expected rule {rule}, got [{string.Join(", ", rules)}]");
            Assert.True(report.ProblemCountsByRule.ContainsKey(rule));
        }
        else
        {
            Assert.Empty(rules);
            Assert.Equal(ValidationReport.Verdicts.Accepted, report.Verdict);
        }

        Assert.All(report.RowProblems, p => Assert.True(p.Value is null || p.Value.Length <= DatasetContract.MaxReportedValueLength + 1));
        if (expectRows is { } rows)
        {
            Assert.Equal(rows, result.Data!.RowCount);
        }
    }
}
