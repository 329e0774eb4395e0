namespace Serverless.Cli.Init;

/// <summary>What <c>init</c> makes of a column: a spec feature type, or text / an identifier it leaves out.</summary>
public enum ColumnKind
{
    Numeric,
    Categorical,
    Boolean,

    /// <summary>Free text or a high-cardinality string: not a feature (the spec has no text type).</summary>
    Text,

    /// <summary>Every value distinct and named like an id: kept as the row id, not a feature.</summary>
    Identifier,

    /// <summary>No value at all: nothing to learn from.</summary>
    Empty,
}
