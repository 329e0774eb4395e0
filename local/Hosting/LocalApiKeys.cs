using System.Security.Cryptography;

namespace Serverless.Local.Hosting;

/// <summary>
/// The local host's two keys, generated on first run instead of a public default: 32 random bytes each
/// (<see cref="RandomNumberGenerator"/>), Base64url, kept in <c>.local/scoring.key</c> and <c>.local/admin.key</c>
/// under the repository root (git-ignored, owner-only on Unix) and printed once, when created.
/// </summary>
public static class LocalApiKeys
{
    public const string ScoringFile = "scoring.key";
    public const string AdminFile = "admin.key";

    /// <summary>Reads the keys in <paramref name="directory"/>, creating any that is missing; <paramref name="created"/> says whether one was.</summary>
    public static (string Scoring, string Admin) LoadOrCreate(string directory, out bool created)
    {
        Directory.CreateDirectory(directory);
        var createdScoring = ReadOrCreate(Path.Combine(directory, ScoringFile), out var scoring);
        var createdAdmin = ReadOrCreate(Path.Combine(directory, AdminFile), out var admin);
        created = createdScoring || createdAdmin;
        return (scoring, admin);
    }

    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static bool ReadOrCreate(string path, out string key)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            key = existing;
            return false;
        }

        key = Generate();
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(path, System.Text.Encoding.ASCII, options)) file.Write(key);
        return true;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
