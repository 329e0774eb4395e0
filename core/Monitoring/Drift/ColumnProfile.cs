namespace Serverless.Core.Monitoring.Drift;

/// <summary>Reference statistics of one feature (or of the prediction column).</summary>
/// <param name="Kind">numeric, categorical or boolean (see <see cref="ColumnKinds"/>).</param>
/// <param name="Count">Non-missing reference values.</param>
/// <param name="MissingCount">Missing reference values (NaN or null); kept apart from every test.</param>
/// <param name="Numeric">Set for numeric columns.</param>
/// <param name="Categorical">Set for categorical and boolean columns.</param>
public sealed record ColumnProfile(
    string Name,
    string Kind,
    long Count,
    long MissingCount,
    NumericHistogram? Numeric = null,
    CategoryCounts? Categorical = null);
