namespace Serverless.Core.Runs;

/// <summary>Where a run stands for intake: absent, going, done with a model, or over without one (worth another attempt).</summary>
public enum RunState
{
    Missing,
    Active,
    Succeeded,
    Retryable,
}
