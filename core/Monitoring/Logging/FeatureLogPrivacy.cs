using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>Applies each feature's <see cref="FeatureLogMode"/> to the inputs before they are logged or queued for labeling.</summary>
public static class FeatureLogPrivacy
{
    /// <summary>
    /// <paramref name="inputs"/> with <c>omit</c> features dropped and <c>hash</c> features replaced by a text column
    /// of SHA-256 hex digests (missing values stay missing). The same table when every feature is raw.
    /// </summary>
    public static TabularDataset Apply(TabularDataset inputs, IReadOnlyList<FeatureSpec> features)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(features);
        if (AllRaw(features))
        {
            return inputs;
        }

        var modes = features.ToDictionary(f => f.Name, f => f.Log, StringComparer.Ordinal);
        var columns = new List<DataColumn>(inputs.Columns.Count);
        foreach (var column in inputs.Columns)
        {
            switch (modes.GetValueOrDefault(column.Name, FeatureLogMode.Raw))
            {
                case FeatureLogMode.Omit:
                    break;
                case FeatureLogMode.Hash:
                    columns.Add(DataColumn.Text(column.Name, Hash(column)));
                    break;
                default:
                    columns.Add(column);
                    break;
            }
        }

        return new TabularDataset(columns);
    }

    /// <summary>Called on every logged predict: a plain loop, no enumerator or closure allocated.</summary>
    private static bool AllRaw(IReadOnlyList<FeatureSpec> features)
    {
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i].Log != FeatureLogMode.Raw)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SHA-256 hex of the value's UTF-8 text; numbers and booleans as their round-trip invariant text.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string?[] Hash(DataColumn column)
    {
        var hashed = new string?[column.Length];
        if (column.Kind == ColumnKind.Float)
        {
            var values = column.FloatValues;
            for (var i = 0; i < hashed.Length; i++)
            {
                hashed[i] = float.IsNaN(values[i]) ? null : Hash(values[i].ToString("R", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            var values = column.TextValues;
            for (var i = 0; i < hashed.Length; i++)
            {
                hashed[i] = values[i] is { } v ? Hash(v) : null;
            }
        }

        return hashed;
    }
}
