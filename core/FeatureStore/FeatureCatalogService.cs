namespace Serverless.Core.FeatureStore;

/// <summary>The catalog API's service: search the views, describe one with its freshness and users.</summary>
public sealed class FeatureCatalogService(FeatureViewCatalog catalog, FeatureViewUsers users, FeatureViewFreshnessReader freshness, OnlineFeatureStore? online = null)
{
    public async Task<IReadOnlyList<FeatureViewSummary>> SearchAsync(FeatureViewQuery query, CancellationToken ct)
    {
        var hits = catalog.Search(query);
        if (hits.Count == 0) return [];
        var byView = await users.ByViewAsync(ct).ConfigureAwait(false);
        return [.. hits.Select(v => FeatureViewSummary.Of(v, byView.GetValueOrDefault(v.View.Name) ?? []))];
    }

    /// <summary>The view's details, null when the catalog has no such view.</summary>
    public async Task<FeatureViewDetails?> DescribeAsync(string name, CancellationToken ct)
    {
        if (catalog.Find(name) is not { } v) return null;
        var byView = await users.ByViewAsync(ct).ConfigureAwait(false);
        var fresh = await freshness.ReadAsync(v.View, ct).ConfigureAwait(false);
        if (online is not null) fresh = fresh with { MaterializedThrough = await online.ReadWatermarkAsync(v, ct).ConfigureAwait(false) };
        return new(v.View.Name, v.Version, v.DefinitionHash, v.View, fresh, byView.GetValueOrDefault(v.View.Name) ?? []);
    }
}
