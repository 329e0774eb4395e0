using System.Security.Cryptography;

namespace Serverless.App.Runs;

/// <summary>
/// Names for files posted to <c>POST …/runs</c>. The blob and every archive copy get a generated name: a client's
/// <c>fileName</c> may hold <c>..</c>, <c>\</c> (which Azure Storage reads as <c>/</c>), NUL, CR/LF or thousands of
/// characters, so it is only recorded (run input, <see cref="Core.Storage.ClientFileName"/> metadata), never part of a path.
/// </summary>
public static class UploadNames
{
    /// <summary><c>upload-{stamp}-{8 random hex}</c>: unique per upload even within one millisecond.</summary>
    public static string Generate(DateTimeOffset now) =>
        $"upload-{now:yyyyMMddHHmmssfff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
