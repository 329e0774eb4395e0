namespace Serverless.Core.FeatureStore;

/// <summary>A valid view as the catalog holds it: the definition, its version and the hash that version stands for.</summary>
/// <param name="File">Where the definition was read from (for messages).</param>
public sealed record RegisteredFeatureView(FeatureView View, string Version, string DefinitionHash, string File)
{
    public static RegisteredFeatureView Of(FeatureView view, string file)
    {
        var hash = FeatureViewVersion.DefinitionHash(view);
        return new(view, FeatureViewVersion.Resolve(view, hash), hash, file);
    }
}
