using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>One feature of a view, typed as a model spec's feature is, so the training set and the online row agree.</summary>
public sealed record FeatureViewFeature(string Name, FeatureType Type, string? Description = null);
