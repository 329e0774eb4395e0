namespace Serverless.Core.Registry;

/// <summary>A registered version as listed by <see cref="ModelRegistry"/>.</summary>
public sealed record ModelVersionInfo(int Version, ModelCard Card, IReadOnlyList<string> Aliases);
