namespace Serverless.Core.Registry.Events;

/// <summary>CloudEvents <c>type</c> values, reverse-DNS prefixed as the spec recommends.</summary>
public static class RegistryEventTypes
{
    public const string Prefix = "io.serverless-mlops.registry.";

    public const string VersionRegistered = Prefix + "version.registered";

    public const string AliasMoved = Prefix + "alias.moved";

    public const string VersionDeleted = Prefix + "version.deleted";

    public const string ModelArchived = Prefix + "model.archived";
}
