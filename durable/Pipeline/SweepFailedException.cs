namespace Serverless.Durable.Pipeline;

/// <summary>The run's sweep cannot run (its data must train on the trainer job) or no trial produced a metric; fails the sweep step with the reason.</summary>
public sealed class SweepFailedException(string message) : Exception(message);
