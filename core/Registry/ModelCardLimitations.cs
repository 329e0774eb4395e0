namespace Serverless.Core.Registry;

/// <summary>The card's limitations: what the spec's author wrote, then facts the platform measured.</summary>
/// <param name="Stated">The spec's <c>limitations</c> text.</param>
/// <param name="Measured">Generated statements: small slices, ignored features, calibration error, missing lineage.</param>
public sealed record ModelCardLimitations(string? Stated, IReadOnlyList<string> Measured);
