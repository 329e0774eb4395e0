using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Core.Hosting;

namespace Serverless.Core.FeatureStore;

public static class FeatureStoreRegistration
{
    /// <summary>The feature store's parts: the definitions (read once, at first use), the catalog's readers and the training-set join.</summary>
    public static PlatformBuilder AddFeatureStore(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.AddOptions<FeatureStoreOptions>().Configure(o => platform.Configuration.GetSection(FeatureStoreOptions.Section).Bind(o));
        services.TryAddSingleton(sp => FeatureViewCatalog.LoadFolder(sp.GetRequiredService<IOptions<FeatureStoreOptions>>().Value.DefinitionsPath));
        services.TryAddSingleton<FeatureViewUsers>();
        services.TryAddSingleton<FeatureViewFreshnessReader>();
        services.TryAddSingleton<FeatureCatalogService>();
        services.TryAddSingleton<FeatureSourceReader>();
        services.TryAddSingleton<TrainingSetAssembler>();
        services.TryAddSingleton<TrainingSetSnapshots>();
        services.TryAddSingleton<OnlineFeatureStore>();
        services.TryAddSingleton<OnlineFeatureReader>();
        services.TryAddSingleton<FeatureMaterializer>();
        return platform;
    }
}
