using Serverless.Core.Specs;

namespace Serverless.App.Intake;

/// <summary>
/// <c>runs/{model}/{runId}/drop.json</c>, created only if absent: the drop that creates it owns the run. One claim per
/// attempt at some bytes (<see cref="DropIntake.RunIdFor(string, string, int)"/>): later drops of the same bytes under
/// the same spec are duplicates while an attempt runs or has succeeded; after a quarantine or a failure, or under
/// another spec, they claim the next attempt.
/// </summary>
/// <param name="IncomingETag">The upload's ETag: tells a re-delivered event for this very upload from a new upload of the same bytes under the same name; null on older claims.</param>
/// <param name="SpecSha256">The spec the drop met (<see cref="ModelSpecStore.LoadWithIdentityAsync"/>); empty on claims made before it was recorded.</param>
public sealed record DropClaim(string IncomingBlob, string SourceName, string Sha256, DateTimeOffset ReceivedAt, string SpecSha256 = "", int Attempt = 0, string? IncomingETag = null);
