namespace Serverless.Core.Registry;

/// <summary>The contents of <c>registry/{model}/aliases.json</c>: alias → version, with an append-only history.</summary>
public sealed record ModelAliases
{
    public const string Champion = "champion";

    public IReadOnlyDictionary<string, int> Aliases { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<AliasChange> History { get; init; } = [];

    public int? Get(string alias) => Aliases.TryGetValue(alias, out var v) ? v : null;
}

/// <summary>One alias move, kept so a rollback can be audited.</summary>
/// <param name="By">Who moved it: the API caller (key role, or token <c>oid</c>/<c>appid</c>/name) for manual moves; null for the pipeline's own promotions.</param>
public sealed record AliasChange(string Alias, int Version, int? PreviousVersion, DateTimeOffset At, string Reason, string? By = null);
