namespace Serverless.App.Runs;

/// <summary>The 202 body of <c>POST /api/runs/{id}/cancel</c>.</summary>
/// <param name="Detail">What happens to the run and to a trainer job working on it.</param>
public sealed record RunCancelAccepted(string RunId, string StatusUrl, string Detail);
