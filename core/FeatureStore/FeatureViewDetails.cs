namespace Serverless.Core.FeatureStore;

/// <summary>One view as the catalog shows it: the definition, its version, freshness and the models that use it.</summary>
public sealed record FeatureViewDetails(
    string Name,
    string Version,
    string DefinitionHash,
    FeatureView Definition,
    FeatureFreshness Freshness,
    IReadOnlyList<string> UsedBy);
