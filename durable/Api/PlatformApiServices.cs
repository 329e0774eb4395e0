using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Durable.Monitoring;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.Api;

/// <summary>What the run, feedback and monitoring handlers need (scoring ones take <see cref="ScoringApiServices"/>).</summary>
public sealed class PlatformApiServices(
    ModelServer server,
    ModelRegistry registry,
    PlatformStorage storage,
    PipelineClient pipeline,
    FeedbackService feedback,
    LabelingQueue labeling,
    MonitoringCycle monitoring,
    DriftReportHistory driftReports,
    IOptions<ScoringOptions> scoring,
    TimeProvider time)
{
    public ModelServer Server { get; } = server;

    public ModelRegistry Registry { get; } = registry;

    public PlatformStorage Storage { get; } = storage;

    public PipelineClient Pipeline { get; } = pipeline;

    public FeedbackService Feedback { get; } = feedback;

    public LabelingQueue Labeling { get; } = labeling;

    public MonitoringCycle Monitoring { get; } = monitoring;

    public DriftReportHistory DriftReports { get; } = driftReports;

    public ScoringOptions Scoring { get; } = scoring.Value;

    public TimeProvider Time { get; } = time;
}
