namespace Serverless.App.OpenApi;

/// <summary>The documented body of moving a held release's candidate: its new share of keyed traffic, 1–100.</summary>
public sealed record ReleaseTrafficRequest(int Percent);
