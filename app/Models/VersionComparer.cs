using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Drift;
using Serverless.Core.Registry;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.App.Models;

/// <summary>
/// Compares two registered versions from what registration kept: the cards (metrics, trainer parameters, placement),
/// the dataset manifests, the drift references (per-feature training distributions) and the runs' frozen specs.
/// </summary>
public sealed class VersionComparer(ModelRegistry registry, PlatformStorage storage)
{
    /// <summary>Relative difference below which two numbers count as the same (they come from the same JSON round trip).</summary>
    private const double Same = 1e-12;

    public async Task<Outcome<VersionComparison>> CompareAsync(string model, int a, int b, CancellationToken ct)
    {
        var (cardA, cardB) = (registry.GetCardAsync(model, a, ct), registry.GetCardAsync(model, b, ct));
        await Task.WhenAll(cardA, cardB).ConfigureAwait(false);
        var missing = new[] { (a, await cardA.ConfigureAwait(false)), (b, await cardB.ConfigureAwait(false)) }.Where(c => c.Item2 is null).Select(c => c.Item1).ToList();
        if (missing.Count > 0)
        {
            return new Outcome<VersionComparison>.NotFound($"Model '{model}' has no version {string.Join(" or ", missing.Distinct())}.");
        }

        var (x, y) = ((await cardA.ConfigureAwait(false))!, (await cardB.ConfigureAwait(false))!);
        var manifests = (Manifest(model, x.DatasetSha256, ct), Manifest(model, y.DatasetSha256, ct));
        var references = (Reference(model, a, ct), Reference(model, b, ct));
        var specs = (RunSpec(model, x.RunId, ct), RunSpec(model, y.RunId, ct));
        await Task.WhenAll(manifests.Item1, manifests.Item2, references.Item1, references.Item2, specs.Item1, specs.Item2).ConfigureAwait(false);
        var (manifestA, manifestB) = (await manifests.Item1.ConfigureAwait(false), await manifests.Item2.ConfigureAwait(false));

        return new VersionComparison(
            model,
            Side(x),
            Side(y),
            MetricDeltas(x.Metrics, y.Metrics),
            Changes(x.TrainerParameters, y.TrainerParameters),
            new DatasetComparison(
                x.DatasetSha256 == y.DatasetSha256,
                DatasetSide(x, manifestA),
                DatasetSide(y, manifestB),
                SchemaChanges(manifestA, manifestB),
                FeatureChanges(await references.Item1.ConfigureAwait(false), await references.Item2.ConfigureAwait(false))),
            SpecChanges(await specs.Item1.ConfigureAwait(false), await specs.Item2.ConfigureAwait(false)));
    }

    private Task<DatasetManifest?> Manifest(string model, string sha, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha)), ct);

    private Task<ReferenceProfile?> Reference(string model, int version, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<ReferenceProfile>(storage.Registry.GetBlobClient(BlobLayout.RegistryReference(model, version)), ct);

    private Task<JsonObject?> RunSpec(string model, string runId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<JsonObject>(storage.Runs.GetBlobClient(BlobLayout.RunSpec(model, runId)), ct);

    private static VersionSide Side(ModelCard c) => new(c.Version, c.RunId, c.CreatedAt, c.Trainer, c.Gate.Passed, c.FitSeconds, c.SpecSha256, c.Placement);

    private static DatasetSide DatasetSide(ModelCard c, DatasetManifest? m) =>
        new(c.DatasetSha256, m?.Rows, c.TrainRows, c.HoldoutRows, m?.DroppedRows, m?.SourceName, m?.ReceivedAt, m?.Lineage);

    public static IReadOnlyList<MetricDelta> MetricDeltas(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        [.. a.Keys.Union(b.Keys).Order(StringComparer.Ordinal).Select(metric =>
        {
            double? va = a.TryGetValue(metric, out var u) && double.IsFinite(u) ? u : null;
            double? vb = b.TryGetValue(metric, out var v) && double.IsFinite(v) ? v : null;
            if (va is null || vb is null) return new MetricDelta(metric, va, vb, null, null);
            var better = Close(va.Value, vb.Value) ? "tie" : (vb > va) == MetricNames.HigherIsBetter(metric) ? "b" : "a";
            return new MetricDelta(metric, va, vb, vb - va, better);
        })];

    private static IReadOnlyList<ValueChange> Changes(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        [.. a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Select(k => new ValueChange(k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .Where(c => c.A != c.B)];

    private static IReadOnlyList<ValueChange> SchemaChanges(DatasetManifest? a, DatasetManifest? b)
    {
        if (a is null || b is null) return [];
        static Dictionary<string, string> Columns(DatasetManifest m) => m.Schema.ToDictionary(c => c.Name, c => $"{c.Kind} {c.Role}", StringComparer.Ordinal);
        return Changes(Columns(a), Columns(b));
    }

    private static IReadOnlyList<FeatureProfileChange> FeatureChanges(ReferenceProfile? a, ReferenceProfile? b)
    {
        if (a is null || b is null) return [];
        List<FeatureProfileChange> changes = [];
        foreach (var name in a.Features.Select(f => f.Name).Union(b.Features.Select(f => f.Name)))
        {
            var (pa, pb) = (a.Find(name), b.Find(name));
            var change = new FeatureProfileChange(
                name,
                MissingShare(pa),
                MissingShare(pb),
                pa?.Numeric?.Mean,
                pb?.Numeric?.Mean,
                pa?.Numeric?.Std,
                pb?.Numeric?.Std,
                OnlyIn(pa, pb),
                OnlyIn(pb, pa));
            if (pa is null || pb is null || !Close(change.MissingShareA, change.MissingShareB) || !Close(change.MeanA, change.MeanB) || !Close(change.StdA, change.StdB)
                || change.CategoriesOnlyInA is { Count: > 0 } || change.CategoriesOnlyInB is { Count: > 0 })
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    private static double? MissingShare(ColumnProfile? p) => p is null ? null : p.Count + p.MissingCount == 0 ? 0 : (double)p.MissingCount / (p.Count + p.MissingCount);

    private static List<string>? OnlyIn(ColumnProfile? p, ColumnProfile? other) =>
        p?.Categorical is { } c ? [.. c.Categories.Except(other?.Categorical?.Categories ?? [], StringComparer.Ordinal)] : null;

    /// <summary>Spec values that differ, by JSON path (<c>trainer.hyperparameters.numberOfLeaves</c>, <c>features[2].kind</c>).</summary>
    private static IReadOnlyList<ValueChange>? SpecChanges(JsonObject? a, JsonObject? b)
    {
        if (a is null || b is null) return null;
        Dictionary<string, string> fa = new(StringComparer.Ordinal), fb = new(StringComparer.Ordinal);
        Flatten(a, "", fa);
        Flatten(b, "", fb);
        return Changes(fa, fb);
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o) Flatten(value, path.Length == 0 ? key : $"{path}.{key}", into);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++) Flatten(arr[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", into);
                break;
            default:
                into[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static bool Close(double? a, double? b) =>
        a is null || b is null ? a == b : Math.Abs(a.Value - b.Value) <= Same * Math.Max(1, Math.Max(Math.Abs(a.Value), Math.Abs(b.Value)));
}
