namespace Serverless.Durable.Intake;

/// <summary>
/// <c>runs/{model}/{runId}/drop.json</c>, created only if absent: the first drop of some bytes claims the run,
/// later drops of the same bytes see the claim and are archived as duplicates.
/// </summary>
public sealed record DropClaim(string IncomingBlob, string SourceName, string Sha256, DateTimeOffset ReceivedAt);
