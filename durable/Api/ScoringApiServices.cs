using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;

namespace Serverless.Durable.Api;

/// <summary>
/// What the scoring handlers (predict, model details) need: no durable client, so the GPU scorer, which has no
/// durable backend, serves them through the same code as the Functions app and the local host.
/// </summary>
public sealed class ScoringApiServices(
    ModelServer server,
    BatchingScorer scorer,
    ModelRegistry registry,
    PlatformStorage storage,
    PredictionLog log,
    IOptions<ScoringOptions> scoring,
    TimeProvider time)
{
    public ModelServer Server { get; } = server;

    public BatchingScorer Scorer { get; } = scorer;

    public ModelRegistry Registry { get; } = registry;

    public PlatformStorage Storage { get; } = storage;

    public PredictionLog Log { get; } = log;

    public ScoringOptions Scoring { get; } = scoring.Value;

    public TimeProvider Time { get; } = time;
}
