using Serverless.Core.Datasets;

namespace Serverless.Core.FeatureStore;

/// <summary>One view's part of a training set: the definition, the features a model takes from it, and its source rows.</summary>
public sealed record ViewSource(FeatureView View, IReadOnlyList<FeatureViewFeature> Features, TabularDataset Rows);
