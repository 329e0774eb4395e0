namespace Serverless.Core.Datasets;

/// <summary>Quarantine reports for files rejected before the data contract could even run (no spec, bad model name).</summary>
public static class FileReports
{
    public static ValidationReport ForFileProblem(string fileName, FileProblem problem) => new(
        fileName,
        TotalRows: 0,
        ValidRows: 0,
        InvalidRows: 0,
        InvalidFraction: 0,
        MaxInvalidRowFraction: 0,
        ValidationReport.Verdicts.Quarantined,
        [problem],
        [],
        new Dictionary<string, int> { [problem.Rule] = 1 },
        RowProblemsTruncated: false);
}
