namespace Serverless.Functions.Hosting;

/// <summary>What <see cref="OpenMpRuntime.Preload"/> did; <paramref name="Error"/> says why it did not load.</summary>
public sealed record OpenMpPreload(OpenMpPreloadStatus Status, string? Path, string? Error);
