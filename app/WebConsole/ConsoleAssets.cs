using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;

namespace Serverless.App.WebConsole;

/// <summary>
/// The web console's built files (vite's output of <c>console/</c>), embedded in this assembly at build time under
/// <see cref="ResourcePrefix"/> so every host serves the same bytes without a folder to deploy or a CDN.
/// </summary>
public static class ConsoleAssets
{
    public const string ResourcePrefix = "console/";

    public const string IndexFile = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private static readonly Lazy<FrozenDictionary<string, ConsoleAsset>> Files = new(Load);

    /// <summary>False when the build ran without <c>npm ci</c> (no vite): the console then answers 503 saying so.</summary>
    public static bool IsBuilt => Files.Value.ContainsKey(IndexFile);

    /// <summary>The page's marker of the sign-in mode (console/index.html), replaced for <see cref="ConsoleSignIn.Entra"/>.</summary>
    public const string KeySignInMarker = "<meta name=\"mlops-sign-in\" content=\"key\">";

    public const string EntraSignInMarker = "<meta name=\"mlops-sign-in\" content=\"entra\">";

    private static readonly Lazy<ConsoleAsset?> EntraPage = new(() => Find(IndexFile) is { } page
        ? new ConsoleAsset(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(page.Content).Replace(KeySignInMarker, EntraSignInMarker, StringComparison.Ordinal)), page.ContentType)
        : null);

    public static ConsoleAsset? Find(string path) => Files.Value.GetValueOrDefault(path);

    /// <summary>Every built file's path under the console (index.html, assets/…): what Easy Auth must let through.</summary>
    public static IEnumerable<string> Paths => Files.Value.Keys;

    /// <summary>The page, telling the script how this host signs in.</summary>
    public static ConsoleAsset? Page(ConsoleSignIn signIn) => signIn == ConsoleSignIn.Entra ? EntraPage.Value : Find(IndexFile);

    private static FrozenDictionary<string, ConsoleAsset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => new ConsoleAsset(Read(assembly, n), ContentTypeOf(n)), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) =>
        ContentTypes.TryGetContentType(name, out var type)
            ? type is "text/html" or "text/css" or "text/javascript" or "application/javascript" ? type + "; charset=utf-8" : type
            : "application/octet-stream";
}
