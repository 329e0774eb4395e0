namespace Serverless.Core.Registry;

/// <summary>A version that carries traffic was asked to be removed.</summary>
public sealed class VersionInUseException(string model, VersionTraffic traffic)
    : Exception($"Version {traffic.Version} of '{model}' carries traffic (aliases: {string.Join(", ", traffic.Aliases)}); move those aliases to another version first.")
{
    public VersionTraffic Traffic { get; } = traffic;
}
