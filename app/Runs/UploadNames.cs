using System.Security.Cryptography;
using System.Text;

namespace Serverless.App.Runs;

/// <summary>
/// Names for files posted to <c>POST …/runs</c>. The blob and every archive copy get a generated name: a client's
/// <c>fileName</c> may hold <c>..</c>, <c>\</c> (which Azure Storage reads as <c>/</c>), NUL, CR/LF or thousands of
/// characters, so it is only recorded (run input, blob metadata), never part of a path.
/// </summary>
public static class UploadNames
{
    /// <summary>Blob metadata key holding the client's name, percent-encoded (metadata values travel as HTTP headers: ASCII only, no CR/LF).</summary>
    public const string ClientFileNameMetadata = "clientfilename";

    /// <summary>
    /// At most this many encoded characters of the name go into metadata: the Blob service limits all metadata of a
    /// blob to 8 KiB, and the full name is in the run's input anyway.
    /// </summary>
    public const int MaxEncodedMetadataChars = 4096;

    /// <summary><c>upload-{stamp}-{8 random hex}</c>: unique per upload even within one millisecond.</summary>
    public static string Generate(DateTimeOffset now) =>
        $"upload-{now:yyyyMMddHHmmssfff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>The client's name percent-encoded (RFC 3986 unreserved characters stay), cut to <see cref="MaxEncodedMetadataChars"/> between characters.</summary>
    public static string EncodeForMetadata(string clientFileName)
    {
        var encoded = new StringBuilder();
        foreach (var rune in clientFileName.EnumerateRunes())
        {
            var piece = Uri.EscapeDataString(rune.ToString());
            if (encoded.Length + piece.Length > MaxEncodedMetadataChars) break;
            encoded.Append(piece);
        }

        return encoded.ToString();
    }
}
