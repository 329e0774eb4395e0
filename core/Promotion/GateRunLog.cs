using Microsoft.Extensions.Logging;
using Serverless.Core.Evaluation;
using Serverless.Core.Training;

namespace Serverless.Core.Promotion;

/// <summary>What the evaluate step tells the run's log: both models' holdout metrics and each gate check's verdict.</summary>
internal static class GateRunLog
{
    public static void LogGate(this ILogger logger, GateReport gate)
    {
        logger.LogInformation("Candidate on the holdout: {Metrics}", TrainingRunLog.Format(gate.CandidateMetrics));
        if (gate.ChampionVersion is { } champion && gate.ChampionMetrics is { } metrics)
        {
            logger.LogInformation("Champion v{Version} on the same holdout: {Metrics}", champion, TrainingRunLog.Format(metrics));
        }

        if (gate.Note is { } note) logger.LogInformation("{Note}", note);
        foreach (var check in gate.Checks)
        {
            logger.Log(check.Passed ? LogLevel.Information : LogLevel.Warning, "Gate check {Name}: {Verdict}. {Detail}", check.Name, check.Passed ? "passed" : "failed", check.Detail);
        }

        logger.Log(gate.Passed ? LogLevel.Information : LogLevel.Warning, "Gate {Verdict} ({Passed} of {Checks} checks passed)",
            gate.Passed ? "passed" : "failed", gate.Checks.Count(c => c.Passed), gate.Checks.Count);
    }
}
