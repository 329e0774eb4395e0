namespace Serverless.Core.Scoring;

/// <summary>Which loaded version answers a request, and which (if any) scores a copy of it in the shadow.</summary>
public sealed record ServedRoute(LoadedModel Live, LoadedModel? Shadow);
