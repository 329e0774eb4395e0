using System.Runtime.InteropServices;

namespace Serverless.Functions.Hosting;

/// <summary>
/// Loads the GNU OpenMP runtime shipped beside the worker before LightGBM needs it. <c>lib_lightgbm.so</c> lists
/// <c>libgomp.so.1</c> as a needed library, and Flex Consumption runs code on Microsoft's Linux image, where nothing
/// can be apt-installed; the public dotnet-isolated image (Azure/azure-functions-docker, dotnet/aspnet bookworm-slim
/// plus libc-dev) has no libgomp1. Once a library with that soname is loaded, glibc satisfies later needs by soname
/// instead of searching, so loading our copy by full path is enough. The copy comes from the build machine's libgomp1
/// package (see the project file); the GCC Runtime Library Exception allows shipping it with the app.
/// </summary>
public static class OpenMpRuntime
{
    /// <summary>The soname <c>lib_lightgbm.so</c> needs and the file name the build ships.</summary>
    public const string FileName = "libgomp.so.1";

    /// <summary>Loads <see cref="FileName"/> from <paramref name="directory"/> (the worker's own folder in Azure).</summary>
    public static OpenMpPreload Preload(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new OpenMpPreload(OpenMpPreloadStatus.NotNeeded, null, null);
        }

        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return new OpenMpPreload(OpenMpPreloadStatus.Missing, path, $"{path} does not exist");
        }

        try
        {
            // Never freed: LightGBM keeps calling into it for the life of the process.
            NativeLibrary.Load(path);
            return new OpenMpPreload(OpenMpPreloadStatus.Loaded, path, null);
        }
        catch (DllNotFoundException e)
        {
            return new OpenMpPreload(OpenMpPreloadStatus.Failed, path, e.Message);
        }
        catch (BadImageFormatException e)
        {
            return new OpenMpPreload(OpenMpPreloadStatus.Failed, path, e.Message);
        }
    }
}
