namespace Serverless.Functions.Hosting;

public enum OpenMpPreloadStatus
{
    /// <summary>The shipped copy is loaded: LightGBM binds to it.</summary>
    Loaded,

    /// <summary>Not Linux: the deployed app runs on Linux only; elsewhere is a developer's machine and its own OpenMP.</summary>
    NotNeeded,

    /// <summary>The build did not ship it (a host that is not the published app).</summary>
    Missing,

    /// <summary>The file is there but the loader refused it (wrong architecture, a newer glibc needed).</summary>
    Failed,
}
