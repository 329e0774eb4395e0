using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Durable.Api;

public sealed record HealthResponse(string Status, string Version);

public sealed record ModelSummary(string Model, bool HasSpec, int? Champion, int Versions);

/// <param name="SpecProblems">Set when the stored spec no longer passes validation (then <paramref name="Spec"/> is null).</param>
public sealed record ModelDetails(string Model, ModelSpec? Spec, IReadOnlyDictionary<string, int> Aliases, IReadOnlyList<VersionSummary> Versions, IReadOnlyList<AliasChange> AliasHistory,
    IReadOnlyList<SpecProblem>? SpecProblems = null);

public sealed record VersionSummary(int Version, DateTimeOffset CreatedAt, string RunId, TrainerKind Trainer, IReadOnlyDictionary<string, double> Metrics, bool GatePassed, string DatasetSha256, IReadOnlyList<string> Aliases);

public sealed record SpecStored(string Model, string SpecSha256);

public sealed record PromoteResponse(string Model, string Alias, int Version, int? PreviousVersion);

public sealed record RunStarted(string RunId, string StatusUrl);

public sealed record StartRunRequest(string? DatasetVersion);

/// <summary>Problem body for request validation failures: every field error, not just the first.</summary>
public sealed record RequestErrors(string Title, IReadOnlyList<FieldError> Errors);

public sealed record SpecErrors(string Title, IReadOnlyList<SpecProblem> Problems);
