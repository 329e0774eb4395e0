using Serverless.Core.Datasets;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// Materialize-incremental: the source rows whose event time is after the view's watermark and at or before
/// <c>upTo</c> go to the online store (the latest per entity), then the watermark moves to <c>upTo</c>. A row that
/// arrives later with an event time at or before the watermark is not materialized (push it instead); the offline
/// join still sees it.
/// </summary>
public sealed class FeatureMaterializer(FeatureViewCatalog catalog, FeatureSourceReader sources, OnlineFeatureStore online, TimeProvider time)
{
    /// <summary>Every view of the catalog up to now.</summary>
    public async Task<IReadOnlyList<MaterializationResult>> MaterializeAllAsync(CancellationToken ct)
    {
        var results = new List<MaterializationResult>();
        foreach (var view in catalog.All)
        {
            results.Add(await MaterializeAsync(view, time.GetUtcNow(), ct).ConfigureAwait(false));
        }

        return results;
    }

    public async Task<MaterializationResult> MaterializeAsync(RegisteredFeatureView view, DateTimeOffset upTo, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var previous = await online.ReadWatermarkAsync(view, ct).ConfigureAwait(false);
        if (await sources.TryReadAsync(view.View, ct).ConfigureAwait(false) is not var (rows, snapshot))
        {
            // Nothing to materialize yet; the watermark stays, so the first snapshot's rows all count.
            return new(view.View.Name, view.Version, null, previous, previous, 0, 0);
        }

        var window = Window(view.View, rows, previous, upTo);
        var written = await online.WriteAsync(view, window, ct).ConfigureAwait(false);
        var watermark = previous is { } p && p > upTo ? p : upTo;
        await online.WriteWatermarkAsync(view, watermark, ct).ConfigureAwait(false);
        FeatureStoreTelemetry.ReportWatermark(view.View.Name, watermark, time);
        FeatureStoreTelemetry.MaterializedRows.Add(written, new("view", view.View.Name), new("way", "materialize"));
        return new(view.View.Name, view.Version, snapshot.Sha256, previous, watermark, window.Count, written);
    }

    /// <summary>The source rows in (after, upTo] as online rows, in source order.</summary>
    public static List<OnlineFeatureRow> Window(FeatureView view, TabularDataset rows, DateTimeOffset? after, DateTimeOffset upTo)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rows);
        var table = $"Source '{view.Source.Dataset}' of view '{view.Name}'";
        var ticks = EventTime.Read(rows, view.Source.TimestampColumn, table);
        var keyColumns = view.Entities.Select(k => rows.Contains(k) ? rows[k] : throw new FeatureJoinException($"{table} has no entity key column '{k}'.")).ToList();
        var columns = view.Features.Select(f => rows.Contains(f.Name) ? rows[f.Name] : throw new FeatureJoinException($"{table} has no column '{f.Name}'.")).ToList();
        var result = new List<OnlineFeatureRow>();
        for (var i = 0; i < rows.RowCount; i++)
        {
            if ((after is { } a && ticks[i] <= a.UtcTicks) || ticks[i] > upTo.UtcTicks) continue;
            if (EntityKeys.Of(keyColumns, i) is not { } key) continue;
            result.Add(new(key, new DateTimeOffset(ticks[i], TimeSpan.Zero), [.. columns.Select(c => Value(c, i))]));
        }

        return result;
    }

    private static object? Value(DataColumn column, int row) =>
        column.Texts is { } t ? t[row] : float.IsNaN(column.Floats![row]) ? null : (double)column.Floats[row];
}
