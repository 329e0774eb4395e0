using Azure.Storage.Blobs.Models;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.FeatureStore;

/// <summary>Which models' specs name which feature views (read from <c>models/*/model.json</c> on each catalog request, not on scoring paths).</summary>
public sealed class FeatureViewUsers(PlatformStorage storage, ModelSpecStore specs)
{
    /// <summary>View name → models whose valid spec names it, by model name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ByViewAsync(CancellationToken ct)
    {
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!await storage.Models.ExistsAsync(ct).ConfigureAwait(false)) return new Dictionary<string, IReadOnlyList<string>>();
        await foreach (var item in storage.Models.GetBlobsAsync(new GetBlobsOptions(), ct).ConfigureAwait(false))
        {
            var model = item.Name[..Math.Max(0, item.Name.IndexOf('/', StringComparison.Ordinal))];
            if (item.Name != BlobLayout.SpecBlob(model) || !ModelName.IsValidModelName(model)) continue;
            if (await specs.TryLoadAsync(model, ct).ConfigureAwait(false) is not { IsValid: true, Spec.FeatureViews: { } refs }) continue;
            foreach (var r in refs)
            {
                if (!users.TryGetValue(r.View, out var list)) users[r.View] = list = [];
                list.Add(model);
            }
        }

        return users.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)[.. u.Value.Order(StringComparer.Ordinal)], StringComparer.Ordinal);
    }
}
