namespace Serverless.Core.Datasets;

/// <summary>What the data contract found in one uploaded file.</summary>
/// <param name="Verdict">One of <see cref="Verdicts"/>.</param>
/// <param name="RowProblems">At most <see cref="DatasetContract.MaxStoredRowProblems"/> entries; counts stay exact.</param>
/// <param name="ProblemCountsByRule">Exact count of problems per rule, file- and row-level.</param>
public sealed record ValidationReport(
    string FileName,
    long TotalRows,
    long ValidRows,
    long InvalidRows,
    double InvalidFraction,
    double MaxInvalidRowFraction,
    string Verdict,
    IReadOnlyList<FileProblem> FileProblems,
    IReadOnlyList<RowProblem> RowProblems,
    IReadOnlyDictionary<string, int> ProblemCountsByRule,
    bool RowProblemsTruncated)
{
    public static class Verdicts
    {
        public const string Accepted = "accepted";
        public const string AcceptedWithDroppedRows = "accepted-with-dropped-rows";
        public const string Quarantined = "quarantined";
    }
}
