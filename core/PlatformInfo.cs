using System.Reflection;

namespace Serverless.Core;

/// <summary>Facts about the running platform build.</summary>
public static class PlatformInfo
{
    /// <summary>The platform version (all projects share it), as <c>/api/health</c> and model cards report it.</summary>
    public static readonly string Version =
        typeof(PlatformInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
