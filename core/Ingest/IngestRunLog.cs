using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;

namespace Serverless.Core.Ingest;

/// <summary>What the ingest step tells the run's log: the file's rows read, kept and dropped (why, with the first examples), and where training goes.</summary>
internal static class IngestRunLog
{
    /// <summary>Row problems quoted as examples; the report blob has them all (up to its own cap).</summary>
    public const int ExampleRows = 5;

    /// <param name="fileName">The name the user knows the file by (an upload's client file name, not its stored name).</param>
    public static void LogReport(this ILogger logger, ValidationReport report, string fileName, string reportBlob)
    {
        logger.LogInformation("Read {File}: {Total} rows, {Valid} kept, {Invalid} dropped ({Fraction:P2}; the limit is {Max:P2}): {Verdict}",
            fileName, report.TotalRows, report.ValidRows, report.InvalidRows, report.InvalidFraction, report.MaxInvalidRowFraction, report.Verdict);
        foreach (var problem in report.FileProblems)
        {
            logger.LogWarning("File problem ({Rule}): {Message}", problem.Rule, problem.Message);
        }

        if (report.ProblemCountsByRule.Count > 0)
        {
            logger.LogWarning("Problems by rule: {Counts}", string.Join(", ", report.ProblemCountsByRule.OrderByDescending(p => p.Value).Select(p => $"{p.Key} × {p.Value}")));
        }

        foreach (var row in report.RowProblems.Take(ExampleRows))
        {
            logger.LogWarning("Row {Row} (line {Line}), column {Column}: {Message} [{Rule}]", row.Row, row.Line, row.Column, row.Message, row.Rule);
        }

        if (report.InvalidRows > 0) logger.LogInformation("Every dropped row is listed in {Report}.", reportBlob);
    }

    public static void LogOutcome(this ILogger logger, IngestOutcome outcome)
    {
        if (!outcome.Accepted)
        {
            logger.LogWarning("Quarantined: {Reason}", outcome.Reason ?? outcome.Verdict);
            return;
        }

        if (outcome.Placement is { } placement) logger.LogInformation("Training goes to the {Where}: {Reason}", placement.Where, placement.Reason);
    }
}
