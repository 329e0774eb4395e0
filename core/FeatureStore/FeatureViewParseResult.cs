using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>Outcome of reading one feature view file: the view when usable, and every problem found.</summary>
public sealed record FeatureViewParseResult(FeatureView? View, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsValid => View is not null && Problems.Count == 0;
}
