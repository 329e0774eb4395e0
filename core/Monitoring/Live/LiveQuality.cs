namespace Serverless.Core.Monitoring.Live;

/// <summary>Live quality of one version over one trailing window: how much was logged, labeled, and how good it was.</summary>
public sealed record LiveQuality(
    int Version,
    TimeSpan Window,
    long Logged,
    long Labeled,
    double Coverage,
    IReadOnlyDictionary<string, double> Metrics);
