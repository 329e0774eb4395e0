namespace Serverless.Core.Specs;

/// <summary>Outcome of reading a <c>model.json</c>.</summary>
/// <param name="Spec">The deserialized spec; null when the JSON is not the shape of a spec (syntax, unknown keys, wrong kinds, nulls).</param>
/// <param name="Problems">Syntax and validation problems; empty when the spec is usable.</param>
public sealed record ModelSpecParseResult(ModelSpec? Spec, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsValid => Spec is not null && Problems.Count == 0;
}
