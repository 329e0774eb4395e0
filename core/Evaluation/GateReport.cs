namespace Serverless.Core.Evaluation;

/// <summary>The gate verdict for a candidate: all checks must pass.</summary>
public sealed record GateReport(
    bool Passed,
    IReadOnlyList<GateCheck> Checks,
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double>? ChampionMetrics,
    int? ChampionVersion,
    string? Note);
