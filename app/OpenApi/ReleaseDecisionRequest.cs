namespace Serverless.App.OpenApi;

/// <summary>The documented (optional) body of approve and reject: a reason kept with the decision.</summary>
public sealed record ReleaseDecisionRequest(string? Reason);
