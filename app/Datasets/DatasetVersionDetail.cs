using Serverless.Core.Datasets;

namespace Serverless.App.Datasets;

/// <summary>The body of <c>GET /api/models/{model}/datasets/{sha256}</c>.</summary>
/// <param name="Validation">The data contract's report on the file the version came from; null for merged versions.</param>
public sealed record DatasetVersionDetail(DatasetManifest Manifest, ValidationReport? Validation);
