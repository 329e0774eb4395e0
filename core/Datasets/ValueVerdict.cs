namespace Serverless.Core.Datasets;

/// <summary>What <see cref="ColumnContract"/> says about one value.</summary>
public enum ValueVerdict : byte
{
    /// <summary>A valid value.</summary>
    Valid,

    /// <summary>No value (null, absent or a missing-value token), and the column allows that.</summary>
    Missing,

    /// <summary>Not a value of the column's type (<see cref="ContractRules.TypeError"/>).</summary>
    TypeError,

    /// <summary>A number outside the column's bounds (<see cref="ContractRules.OutOfRange"/>).</summary>
    OutOfRange,

    /// <summary>No value, and the column is not nullable (<see cref="ContractRules.NullNotAllowed"/>).</summary>
    NullNotAllowed,

    /// <summary>A category outside the declared ones under the reject policy (<see cref="ContractRules.UnknownCategory"/>).</summary>
    UnknownCategory,
}
