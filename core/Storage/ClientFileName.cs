using System.Text;

namespace Serverless.Core.Storage;

/// <summary>
/// A name a client gave a file (<c>?fileName=</c> of an upload), kept as blob metadata on the stored upload and its
/// archive copy, never as part of a blob path. Metadata values travel as HTTP headers (ASCII, no CR/LF), so the name
/// is percent-encoded; read it back with <see cref="Uri.UnescapeDataString(string)"/>.
/// </summary>
public static class ClientFileName
{
    /// <summary>The metadata key (metadata names must be valid C# identifiers).</summary>
    public const string MetadataKey = "clientfilename";

    /// <summary>
    /// At most this many encoded characters are kept: the Blob service limits all of a blob's metadata to 8 KiB, and
    /// the full name is in the run's input anyway.
    /// </summary>
    public const int MaxEncodedChars = 4096;

    /// <summary>Metadata holding <paramref name="name"/>, or null when there is none.</summary>
    public static Dictionary<string, string>? Metadata(string? name) =>
        name is { Length: > 0 } ? new Dictionary<string, string> { [MetadataKey] = Encode(name) } : null;

    /// <summary>Percent-encoded (RFC 3986 unreserved characters stay), cut between characters at <see cref="MaxEncodedChars"/>.</summary>
    public static string Encode(string name)
    {
        var encoded = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            var piece = Uri.EscapeDataString(rune.ToString());
            if (encoded.Length + piece.Length > MaxEncodedChars) break;
            encoded.Append(piece);
        }

        return encoded.ToString();
    }
}
