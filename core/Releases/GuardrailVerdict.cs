namespace Serverless.Core.Releases;

/// <summary>The guardrails at the end of one bake period: held when every check held.</summary>
public sealed record GuardrailVerdict(bool Held, long Requests, IReadOnlyList<GuardrailCheck> Checks)
{
    /// <summary>The breached checks, for the rollback reason.</summary>
    public string Breaches => string.Join("; ", Checks.Where(c => !c.Held).Select(c => c.Detail));
}

/// <param name="Value">What was measured; null when there was nothing to measure yet (the check then holds or not as <paramref name="Detail"/> says).</param>
public sealed record GuardrailCheck(string Name, double? Value, double Limit, bool Held, string Detail);
