using System.Globalization;
using Serverless.Core.Datasets;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// Entity keys as one string per row (composite keys joined by U+001F) and the dense ids both sides of a join share.
/// Numbers are written in their shortest round-trip form, so "7" and 7.0 are the same entity.
/// </summary>
public sealed class EntityKeys
{
    public const char Separator = '\u001f';

    /// <summary>The id of a row without a key (a missing value): it matches no feature row.</summary>
    public const int None = -1;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Count => _ids.Count;

    /// <summary>Ids for the label side, adding every key seen.</summary>
    public int[] Assign(TabularDataset data, IReadOnlyList<string> keys, string table) => Map(data, keys, table, add: true);

    /// <summary>Ids for a feature side: keys no label row has get <see cref="None"/> (those rows cannot match).</summary>
    public int[] Lookup(TabularDataset data, IReadOnlyList<string> keys, string table) => Map(data, keys, table, add: false);

    public int Lookup(string key) => _ids.GetValueOrDefault(key, None);

    /// <summary>The key of one row, null when any part is missing.</summary>
    public static string? Of(IReadOnlyList<DataColumn> columns, int row)
    {
        if (columns.Count == 1) return Part(columns[0], row);
        var parts = new string[columns.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            if (Part(columns[i], row) is not { } part) return null;
            parts[i] = part;
        }

        return string.Join(Separator, parts);
    }

    /// <summary>The key of values sent by a client (text or a number), null when any part is missing.</summary>
    public static string? Of(IReadOnlyList<string?> parts) =>
        parts.Any(p => p is null) ? null : string.Join(Separator, parts);

    private static string? Part(DataColumn column, int row) =>
        column.Texts is { } t ? t[row] : float.IsNaN(column.Floats![row]) ? null : column.Floats[row].ToString("R", CultureInfo.InvariantCulture);

    private int[] Map(TabularDataset data, IReadOnlyList<string> keys, string table, bool add)
    {
        var columns = keys.Select(k => data.Contains(k) ? data[k] : throw new FeatureJoinException($"{table} has no entity key column '{k}'.")).ToList();
        var ids = new int[data.RowCount];
        for (var row = 0; row < ids.Length; row++)
        {
            var key = Of(columns, row);
            if (key is null) ids[row] = None;
            else if (_ids.TryGetValue(key, out var id)) ids[row] = id;
            else if (add) _ids[key] = ids[row] = _ids.Count;
            else ids[row] = None;
        }

        return ids;
    }
}
