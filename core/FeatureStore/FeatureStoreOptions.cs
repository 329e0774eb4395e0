namespace Serverless.Core.FeatureStore;

/// <summary>Configuration section <c>FeatureStore</c>.</summary>
public sealed class FeatureStoreOptions
{
    public const string Section = "FeatureStore";

    /// <summary>The folder of <c>*.json</c> view definitions; relative paths are under the app's base directory, where the build copies <c>features/</c>.</summary>
    public string Definitions { get; set; } = "features";

    /// <summary>How long an online lookup (found or not) is served from memory; zero: read the store every time.</summary>
    public TimeSpan OnlineCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the local host starts materialization (Functions: its timer trigger's schedule, every 15 minutes).</summary>
    public TimeSpan MaterializeInterval { get; set; } = TimeSpan.FromMinutes(15);

    public string DefinitionsPath => Path.IsPathRooted(Definitions) ? Definitions : Path.Combine(AppContext.BaseDirectory, Definitions);
}
