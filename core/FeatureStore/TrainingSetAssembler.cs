using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// The training path's hook: a run's snapshot of label rows becomes the training set of its spec, each view's
/// features joined point-in-time from the view's source, columns in spec order then the label. Specs without views
/// pass through unchanged.
/// </summary>
public sealed class TrainingSetAssembler(FeatureViewCatalog catalog, FeatureSourceReader sources)
{
    public async Task<TabularDataset> AssembleAsync(ModelSpec spec, TabularDataset labelRows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(labelRows);
        if (spec.FeatureViews is not { Count: > 0 }) return labelRows;
        if (FeatureViewSpecs.Check(spec, catalog) is { Count: > 0 } problems)
        {
            throw new FeatureJoinException("The spec's feature views do not match the catalog: " + string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
        }

        var views = new List<ViewSource>();
        foreach (var (view, features) in FeatureViewSpecs.Used(spec, catalog))
        {
            views.Add(new ViewSource(view.View, features, (await sources.ReadAsync(view.View, ct).ConfigureAwait(false)).Rows));
        }

        var joined = await Task.Run(() => TrainingSetBuilder.Build(labelRows, views), ct).ConfigureAwait(false);
        return new TabularDataset([.. spec.Features.Select(f => joined[f.Name]), joined[spec.Label]]);
    }
}
