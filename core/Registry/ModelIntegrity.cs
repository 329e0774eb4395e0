using System.Security.Cryptography;

namespace Serverless.Core.Registry;

/// <summary>The model card's fingerprint of <c>model.onnx</c>: recorded at registration, checked before serving.</summary>
public static class ModelIntegrity
{
    public static string Sha256(ReadOnlySpan<byte> onnx) => Convert.ToHexStringLower(SHA256.HashData(onnx));

    /// <summary>
    /// Throws <see cref="ModelIntegrityException"/> when <paramref name="onnx"/> is not the file the card was registered
    /// with. Returns false (nothing to verify against) for cards registered before the hash was recorded.
    /// </summary>
    public static bool Verify(ModelCard card, ReadOnlySpan<byte> onnx)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.ModelSha256 is null)
        {
            return false;
        }

        var actual = Sha256(onnx);
        return string.Equals(actual, card.ModelSha256, StringComparison.OrdinalIgnoreCase)
            ? true
            : throw new ModelIntegrityException(card.Model, card.Version, card.ModelSha256, actual);
    }
}

/// <summary>A registered <c>model.onnx</c> whose bytes no longer match the SHA-256 in its card: never served.</summary>
public sealed class ModelIntegrityException(string model, int version, string expected, string actual)
    : Exception($"Refusing to serve {model} v{version}: model.onnx has SHA-256 {actual}, its card records {expected}.")
{
    public string Model { get; } = model;

    public int Version { get; } = version;
}
