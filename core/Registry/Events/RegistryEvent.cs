namespace Serverless.Core.Registry.Events;

/// <summary>
/// One registry change as a CloudEvent 1.0 (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md):
/// the required context attributes <c>id</c>, <c>source</c>, <c>specversion</c> (always "1.0"), <c>type</c>, the optional
/// <c>subject</c> and <c>time</c>, and the documented <c>sequence</c> extension
/// (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/extensions/sequence.md) that orders a model's events.
/// </summary>
/// <param name="Id">Unique per source: <c>{model}/{sequence}</c>, so a redelivered event keeps its id and subscribers can de-duplicate.</param>
/// <param name="Type">One of <see cref="RegistryEventTypes"/>.</param>
/// <param name="Source">The platform's registry (<see cref="RegistryEventOptions.Source"/>).</param>
/// <param name="Subject">What changed, e.g. <c>models/churn/versions/3</c> or <c>models/churn/aliases/champion</c>.</param>
/// <param name="Sequence">1, 2, 3… per model: the order the registry applied the changes in.</param>
public sealed record RegistryEvent(string Id, string Type, string Source, string Subject, DateTimeOffset Time, long Sequence, RegistryChange Data)
{
    public const string SpecVersion = "1.0";

    /// <summary>The <c>sequence</c> attribute: a string that must order lexicographically, hence zero-padded.</summary>
    public string SequenceText => Sequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
}
