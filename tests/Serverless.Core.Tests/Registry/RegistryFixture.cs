using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Registry;

/// <summary>A registry over real Azurite, and cards to fill it with.</summary>
internal static class RegistryFixture
{
    public static async Task<PlatformStorage> StorageAsync()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        return storage;
    }

    public static ModelCard Card(string model, string runId, ModelTask task = ModelTask.Binary, IReadOnlyList<FeatureSpec>? inputs = null) => new()
    {
        Model = model,
        RunId = runId,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Task = task,
        Inputs = inputs ?? [new FeatureSpec("x", FeatureType.Numeric)],
        Trainer = TrainerKind.LightGbm,
        TrainerParameters = new Dictionary<string, string>(),
        Metrics = new Dictionary<string, double> { ["auc"] = 0.9 },
        Gate = new GateReport(true, [], new Dictionary<string, double> { ["auc"] = 0.9 }, null, null, null),
        DatasetSha256 = new string('a', 64),
        SpecSha256 = new string('b', 64),
        PlatformVersion = "test",
    };
}
