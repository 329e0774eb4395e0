namespace Serverless.Core.Registry.Events;

/// <summary>The <c>data</c> of a <see cref="RegistryEvent"/>: which model, version and alias changed, and why.</summary>
/// <param name="PreviousVersion">Where the alias pointed before (alias moves).</param>
/// <param name="By">Who asked, when a caller did (API key role or token identity).</param>
/// <param name="Release">The release id (release events).</param>
/// <param name="Percent">The candidate's share of keyed traffic after a release step (0 in shadow).</param>
public sealed record RegistryChange(
    string Model,
    int? Version = null,
    string? Alias = null,
    int? PreviousVersion = null,
    string? Reason = null,
    string? By = null,
    string? Release = null,
    int? Percent = null);
