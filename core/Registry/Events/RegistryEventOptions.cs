namespace Serverless.Core.Registry.Events;

/// <summary>Where registry events go: an Event Grid topic in Azure, else a storage queue and/or webhooks (section <c>RegistryEvents</c>).</summary>
public sealed class RegistryEventOptions
{
    public const string Section = "RegistryEvents";

    /// <summary>The CloudEvents <c>source</c> (a URI reference) every event carries.</summary>
    public string Source { get; set; } = "/serverless-mlops/registry";

    /// <summary>
    /// The Event Grid custom topic's endpoint (CloudEvents input schema, Entra ID only). Set: events go there with the
    /// storage identity (<c>{StorageConnection}__clientId</c>), and <see cref="Queue"/> is not used.
    /// </summary>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>The storage queue events go to when there is no topic; empty: none.</summary>
    public string? Queue { get; set; } = "registry-events";

    /// <summary>Endpoints each event is POSTed to as <c>application/cloudevents+json</c> (structured mode).</summary>
    public List<Uri> Webhooks { get; set; } = [];
}
