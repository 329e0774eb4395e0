namespace Serverless.Core.Monitoring.Drift;

/// <summary>How a monitored column is compared: numbers by their order, categories (and booleans) by their frequencies.</summary>
public static class ColumnKinds
{
    public const string Numeric = "numeric";
    public const string Categorical = "categorical";
    public const string Boolean = "boolean";
}
