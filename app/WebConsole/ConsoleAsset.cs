using System.Security.Cryptography;

namespace Serverless.App.WebConsole;

/// <summary>One built console file: its bytes, the content type it is served with, and an ETag of its bytes.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType)
{
    /// <summary>Strong validator: the file names are fixed (Easy Auth's excludedPaths), so freshness is revalidated by content.</summary>
    public string ETag { get; } = $"\"{Convert.ToHexStringLower(SHA256.HashData(Content))[..32]}\"";
}
