namespace Serverless.Core.Datasets;

/// <summary>Physical storage of a <see cref="DataColumn"/>.</summary>
public enum ColumnKind
{
    /// <summary><see cref="float"/> values; NaN = missing. Numeric and boolean (1/0) features, binary (1/0) and regression labels.</summary>
    Float,

    /// <summary><see cref="string"/> values; null = missing. Categorical features and multiclass labels.</summary>
    Text,
}
