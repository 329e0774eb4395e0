using Serverless.Core.Registry;
using Serverless.Core.Specs;

namespace Serverless.App.Models;

public sealed record ModelSummary(string Model, bool HasSpec, int? Champion, int Versions);

/// <param name="SpecProblems">Set when the stored spec no longer passes validation (then <paramref name="Spec"/> is null).</param>
public sealed record ModelDetails(string Model, ModelSpec? Spec, IReadOnlyDictionary<string, int> Aliases, IReadOnlyList<VersionSummary> Versions, IReadOnlyList<AliasChange> AliasHistory,
    IReadOnlyList<SpecProblem>? SpecProblems = null);

public sealed record VersionSummary(int Version, DateTimeOffset CreatedAt, string RunId, TrainerKind Trainer, IReadOnlyDictionary<string, double> Metrics, bool GatePassed, string DatasetSha256, IReadOnlyList<string> Aliases);

public sealed record SpecStored(string Model, string SpecSha256);

public sealed record PromoteResponse(string Model, string Alias, int Version, int? PreviousVersion);
