using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.App.Monitoring;

/// <summary>The body of <c>GET /api/models/{model}/monitoring</c>.</summary>
public sealed record MonitoringView(
    string Model,
    int? Champion,
    IReadOnlyList<LiveQuality> Live,
    DriftReport? LatestDrift,
    MonitoringState State);
