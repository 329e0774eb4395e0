namespace Serverless.Core.Specs;

/// <summary>What the model card measures beyond the overall metrics (spec <c>card</c>).</summary>
public sealed record ModelCardSpec
{
    public const int DefaultTopCategories = 10;

    /// <summary>Categorical or boolean feature columns whose values get their own holdout metrics on the card.</summary>
    public IReadOnlyList<string> Slices { get; init; } = [];

    /// <summary>Per slice column, the most frequent holdout categories kept apart; the rest are pooled as "other".</summary>
    public int TopCategories { get; init; } = DefaultTopCategories;
}
