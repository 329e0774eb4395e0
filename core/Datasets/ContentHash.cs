using System.Security.Cryptography;

namespace Serverless.Core.Datasets;

/// <summary>Content addresses for snapshots, uploads and specs.</summary>
public static class ContentHash
{
    /// <summary>SHA-256 of the rest of <paramref name="content"/>, as lowercase hex.</summary>
    public static string Sha256Hex(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }
}
