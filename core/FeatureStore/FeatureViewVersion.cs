using System.Security.Cryptography;
using System.Text.Json;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// What makes two definitions of a view the same version: entity keys, feature names and types, source and TTL.
/// Owner, description and tags are documentation; changing them changes no value a model sees.
/// </summary>
public static class FeatureViewVersion
{
    /// <summary>Hex SHA-256 of the view's semantic fields.</summary>
    public static string DefinitionHash(FeatureView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var semantic = new
        {
            view.Name,
            view.Entities,
            Features = view.Features.Select(f => new { f.Name, f.Type }),
            view.Source,
            Ttl = view.Ttl.ToString("c"),
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(semantic, PlatformJson.Options)));
    }

    /// <summary>The explicit <see cref="FeatureView.Version"/>, else the first 12 hex digits of the hash.</summary>
    public static string Resolve(FeatureView view, string definitionHash) => view.Version ?? definitionHash[..12];
}
