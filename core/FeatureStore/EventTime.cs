using System.Globalization;
using Serverless.Core.Datasets;

namespace Serverless.Core.FeatureStore;

/// <summary>Event timestamps as the join compares them: UTC ticks read from ISO 8601 text (no offset: UTC).</summary>
public static class EventTime
{
    public static bool TryParse(string? text, out long utcTicks)
    {
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
        {
            utcTicks = t.UtcTicks;
            return true;
        }

        utcTicks = 0;
        return false;
    }

    /// <summary>Every row's time from <paramref name="column"/>; a text column with a readable time in every row, or a <see cref="FeatureJoinException"/>.</summary>
    public static long[] Read(TabularDataset data, string column, string table)
    {
        if (!data.Contains(column)) throw new FeatureJoinException($"{table} has no timestamp column '{column}'.");
        if (data[column].Texts is not { } texts) throw new FeatureJoinException($"{table}: timestamp column '{column}' must hold ISO 8601 text (declare it categorical), not numbers.");
        var ticks = new long[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!TryParse(texts[i], out ticks[i])) throw new FeatureJoinException($"{table} row {i + 1}: '{texts[i]}' in '{column}' is not an ISO 8601 time.");
        }

        return ticks;
    }
}
