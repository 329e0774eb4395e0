using Serverless.Core.Registry;

namespace Serverless.App.Models.Cards;

/// <summary>
/// GET …/versions/{v}/card: the version's stored card, and the alias moves that involve it (made after registration,
/// so read from <c>aliases.json</c> at request time rather than frozen into the card).
/// </summary>
public sealed record ModelCardResponse(ModelCard Card, IReadOnlyList<AliasChange> AliasHistory);
