namespace Serverless.Core.Datasets;

/// <summary>What the data contract found in one uploaded file.</summary>
/// <param name="Verdict">One of <see cref="Verdicts"/>.</param>
/// <param name="RowProblems">At most <see cref="DatasetLimits.MaxListedRowProblems"/> entries; counts stay exact.</param>
/// <param name="FileProblems">At most <see cref="DatasetLimits.MaxListedFileProblems"/> entries; counts stay exact.</param>
/// <param name="ProblemCountsByRule">Exact count of problems per rule, file- and row-level.</param>
/// <param name="RowProblemsTruncated">Some problems (row- or file-level) are counted but not listed.</param>
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
