using Serverless.Core.Releases;
using Serverless.Core.Runs;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.Releases.Activities;

/// <summary>A release step: spans and durations tagged like the pipeline's, with the release id in the run's place.</summary>
public abstract class ReleaseActivity<TIn, TOut> : PipelineActivity<TIn, TOut>
{
    public const string StepName = "release";

    protected override string Step => StepName;

    protected abstract ReleaseInput Release(TIn input);

    protected override RunRef Subject(TIn input) => new(Release(input).ReleaseId, Release(input).Model);
}
