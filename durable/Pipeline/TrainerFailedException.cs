namespace Serverless.Durable.Pipeline;

/// <summary>The GPU trainer timed out or reported a failure; fails the run's train step with that reason.</summary>
public sealed class TrainerFailedException(string message) : Exception(message);
