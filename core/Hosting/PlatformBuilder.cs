using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.Hosting;

/// <summary>
/// The composition root every host starts from: <c>services.AddServerlessPlatform(configuration, o => …)</c> registers
/// storage, then each host adds the parts it runs (<c>.AddScoring()</c>, <c>.AddPlatformApi()</c>, <c>.AddPipeline()</c>,
/// <c>.AddGpuTrainer(…)</c>), each an extension in the project that owns the part.
/// </summary>
public sealed class PlatformBuilder(IServiceCollection services, IConfiguration configuration, PlatformOptions options)
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration Configuration { get; } = configuration;

    public PlatformOptions Options { get; } = options;
}

public static class PlatformBuilderExtensions
{
    /// <summary>Storage clients (from <see cref="PlatformOptions.StorageConnection"/>), the platform's containers and the spec store.</summary>
    public static PlatformBuilder AddServerlessPlatform(this IServiceCollection services, IConfiguration configuration, Action<PlatformOptions>? configure = null)
    {
        var options = new PlatformOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageClients.Blobs(configuration, options.StorageConnection));
        services.TryAddSingleton(_ => StorageClients.Tables(configuration, options.StorageConnection));
        services.TryAddSingleton(_ => StorageClients.Queues(configuration, options.StorageConnection));
        services.TryAddSingleton<PlatformStorage>();
        services.TryAddSingleton<ModelSpecStore>();
        return new PlatformBuilder(services, configuration, options);
    }
}
