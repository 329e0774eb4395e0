using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Serverless.Functions.Hosting;

/// <summary>
/// Logs the startup preload once the host can log: a failure is not fatal (scoring and everything but LightGBM
/// training still work), so it must be visible instead, before a tree run fails on <c>lib_lightgbm.so</c>.
/// </summary>
public sealed class OpenMpPreloadReport(OpenMpPreload preload, ILogger<OpenMpPreloadReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (preload.Status is OpenMpPreloadStatus.Missing or OpenMpPreloadStatus.Failed)
        {
            logger.LogWarning(
                "OpenMP runtime {Path} not loaded ({Status}: {Error}); LightGBM training needs a system libgomp.so.1 on this machine.",
                preload.Path, preload.Status, preload.Error);
        }
        else
        {
            logger.LogDebug("OpenMP runtime preload: {Status} {Path}", preload.Status, preload.Path);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
