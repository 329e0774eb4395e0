using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>Definitions that cannot be served: a host refuses to start on them rather than serve a partial catalog.</summary>
public sealed class InvalidFeatureViewException(IReadOnlyList<(string File, SpecProblem Problem)> problems)
    : Exception("Invalid feature view definitions:\n" + string.Join("\n", problems.Select(p => $"{p.File}: {p.Problem.Path}: {p.Problem.Message}")))
{
    public IReadOnlyList<(string File, SpecProblem Problem)> Problems { get; } = problems;
}
