namespace Serverless.Core.Registry;

/// <summary>
/// The contents of <c>registry/{model}/aliases.json</c>: alias → version, the traffic weights of a release in
/// progress, and an append-only history.
/// </summary>
public sealed record ModelAliases
{
    public const string Champion = "champion";

    /// <summary>The version a release is moving traffic to.</summary>
    public const string Candidate = "candidate";

    public IReadOnlyDictionary<string, int> Aliases { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<AliasChange> History { get; init; } = [];

    /// <summary>Alias → percent (0–100) of keyed traffic it answers; the champion answers the rest.</summary>
    public IReadOnlyDictionary<string, int> Weights { get; init; } = new Dictionary<string, int>();

    /// <summary>Aliases that score a copy of the traffic off the hot path and never answer.</summary>
    public IReadOnlyList<string> Shadows { get; init; } = [];

    public int? Get(string alias) => Aliases.TryGetValue(alias, out var v) ? v : null;
}

/// <summary>One alias move, kept so a rollback can be audited.</summary>
/// <param name="By">Who moved it: the API caller (key role, or token <c>oid</c>/<c>appid</c>/name) for manual moves; null for the pipeline's own promotions.</param>
/// <param name="Percent">For a release's traffic change: the candidate's share after it (0 when rolled back or shadowed).</param>
public sealed record AliasChange(string Alias, int Version, int? PreviousVersion, DateTimeOffset At, string Reason, string? By = null, int? Percent = null);
