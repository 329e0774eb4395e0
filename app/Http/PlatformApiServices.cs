using Microsoft.Extensions.Options;
using Serverless.App.Feedback;
using Serverless.App.Models;
using Serverless.App.Monitoring;
using Serverless.App.Runs;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;

namespace Serverless.App.Http;

/// <summary>
/// What the run, feedback and monitoring handlers need (scoring ones take <see cref="ScoringApiServices"/>). Built
/// around the host's <see cref="IRunLauncher"/>, which Functions hands out per invocation.
/// </summary>
public sealed class PlatformApiServices(
    ModelCatalog catalog,
    PlatformStorage storage,
    IRunLauncher pipeline,
    FeedbackRequests feedback,
    LabelingQueue labeling,
    MonitoringCycle monitoring,
    DriftReportHistory driftReports,
    IOptions<ScoringOptions> scoring,
    TimeProvider time,
    ModelRegistry registry,
    LiveQualityRequests liveQuality,
    RunLog runLog)
{
    public ModelCatalog Catalog { get; } = catalog;

    public IRunLauncher Pipeline { get; } = pipeline;

    public RunRequests Runs { get; } = new(storage, pipeline, time);

    public RunHistory RunHistory { get; } = new(storage, pipeline, time);

    public RunLogRequests RunLogs { get; } = new(pipeline, runLog);

    public VersionComparer Versions { get; } = new(registry, storage);

    public FeedbackRequests Feedback { get; } = feedback;

    public LabelingQueue Labeling { get; } = labeling;

    public MonitoringCycle Monitoring { get; } = monitoring;

    public DriftReportHistory DriftReports { get; } = driftReports;

    public LiveQualityRequests LiveQuality { get; } = liveQuality;

    public ScoringOptions Scoring { get; } = scoring.Value;
}
