namespace Serverless.Core.Registry;

/// <summary>Optimistic concurrency on aliases.json kept failing; the caller may retry the whole operation.</summary>
public sealed class RegistryConflictException(string message) : Exception(message);
