using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Core.FeatureStore;
using Serverless.Core.Hosting;

namespace Serverless.App.Hosting;

/// <summary>The feature store's parts: the definitions (read once, at first use), the catalog's readers.</summary>
public static class FeatureStoreServiceCollectionExtensions
{
    public static PlatformBuilder AddFeatureStore(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.AddOptions<FeatureStoreOptions>().Bind(platform.Configuration.GetSection(FeatureStoreOptions.Section));
        services.TryAddSingleton(sp => FeatureViewCatalog.LoadFolder(sp.GetRequiredService<IOptions<FeatureStoreOptions>>().Value.DefinitionsPath));
        services.TryAddSingleton<FeatureViewUsers>();
        services.TryAddSingleton<FeatureViewFreshnessReader>();
        services.TryAddSingleton<FeatureCatalogService>();
        return platform;
    }
}
