using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Functions.Tests;

/// <summary>
/// The published Functions app trains LightGBM on a machine without a system libgomp.so.1 (Flex Consumption's image
/// may have none, and nothing can be installed there). The child process runs in a private mount namespace in which
/// every system copy of libgomp is covered by an empty file, so the loader fails on it ("file too short") exactly as a
/// missing one would stop LightGBM; the control run covers the shipped copy too and must then fail. Needs
/// <c>unshare</c> with unprivileged user namespaces (root here; CI turns the AppArmor restriction off).
/// </summary>
public sealed partial class OpenMpShippingTests(FunctionsPublish publish) : IClassFixture<FunctionsPublish>
{
    // Azure/azure-functions-docker host/4/bookworm/dotnet-isolated/dotnet9-isolated/dotnet9-isolated.Dockerfile builds
    // on mcr.microsoft.com/dotnet/aspnet:9.0-bookworm-slim-amd64, Debian 12, whose glibc is 2.36. A libgomp that needs
    // a newer glibc would fail to load there (CI on a newer distribution would ship one).
    // lib_lightgbm.so's DT_NEEDED entry (readelf -d), the name the worker must ship.
    private const string LibGomp = "libgomp.so.1";

    private static readonly Version FunctionsImageGlibc = new(2, 36);

    private static readonly string[] LibraryDirectories = ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"];

    [Fact]
    public void Publish_ships_libgomp_beside_lightgbm()
    {
        Assert.True(File.Exists(Path.Combine(publish.Directory, "lib_lightgbm.so")));
        Assert.True(File.Exists(Path.Combine(publish.Directory, LibGomp)), $"{LibGomp} is not in the publish output.");
    }

    [Fact]
    public void Published_app_trains_lightgbm_with_the_system_libgomp_hidden()
    {
        var run = RunProbe(hideShippedCopy: false);

        Assert.True(run.ExitCode == 0, $"probe failed ({run.ExitCode}):\n{run.Output}");
        Assert.Contains("trained:", run.Output);
        var mapped = Mapped(run.Output, "libgomp");
        Assert.Equal([Path.Combine(publish.Directory, LibGomp)], mapped);
        Assert.Equal([Path.Combine(publish.Directory, "lib_lightgbm.so")], Mapped(run.Output, "lib_lightgbm"));
    }

    [Fact]
    public void Without_the_shipped_copy_the_same_environment_cannot_train()
    {
        var run = RunProbe(hideShippedCopy: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("trained:", run.Output);
        Assert.Contains("DllNotFoundException", run.Output);
        Assert.Contains(LibGomp, run.Output);
    }

    [Fact]
    public void Shipped_libgomp_needs_no_newer_glibc_than_the_functions_image()
    {
        // The version names a library needs are strings in its .dynstr (e.g. GLIBC_2.34).
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(publish.Directory, LibGomp)));
        var needed = GlibcVersion().Matches(text).Select(m => Version.Parse(m.Groups[1].Value)).ToList();

        Assert.NotEmpty(needed);
        Assert.True(needed.Max() <= FunctionsImageGlibc, $"libgomp.so.1 needs GLIBC_{needed.Max()}, the Functions image has {FunctionsImageGlibc}.");
    }

    private ChildProcess.Result RunProbe(bool hideShippedCopy)
    {
        var empty = Path.Combine(publish.Directory, "empty-file");
        File.WriteAllBytes(empty, []);
        var hidden = SystemLibGomp().ToList();
        if (hideShippedCopy)
        {
            hidden.Add(Path.Combine(publish.Directory, LibGomp));
        }

        var probe = new ProcessStartInfo("unshare")
        {
            ArgumentList =
            {
                "--mount", "--map-root-user", "sh", "-c",
                "set -e; empty=$1; probe=$2; app=$3; shift 3; for f in \"$@\"; do mount --bind \"$empty\" \"$f\"; done; exec dotnet \"$probe\" \"$app\"",
                "sh", empty, FunctionsBuild.OpenMpProbe, publish.Directory,
            },
        };
        foreach (var file in hidden)
        {
            probe.ArgumentList.Add(file);
        }

        probe.Environment.Remove("LD_LIBRARY_PATH");
        probe.Environment.Remove("LD_PRELOAD");
        var run = ChildProcess.Run(probe, TimeSpan.FromMinutes(2));
        Assert.False(
            run.Output.Contains("unshare:", StringComparison.Ordinal) || run.Output.Contains("mount:", StringComparison.Ordinal),
            $"could not hide the system libgomp (needs unshare with user namespaces):\n{run.Output}");
        return run;
    }

    /// <summary>Every system libgomp file the loader could find by its default search (cache and trusted dirs).</summary>
    private static IEnumerable<string> SystemLibGomp() =>
        LibraryDirectories
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateDirectories(dir, "*-linux-gnu").Prepend(dir))
            .SelectMany(dir => Directory.EnumerateFiles(dir, "libgomp.so*"))
            .Select(file => new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(file))
            .Distinct(StringComparer.Ordinal);

    private static string[] Mapped(string output, string library) =>
        output.Split('\n')
            .Where(line => line.StartsWith("mapped: ", StringComparison.Ordinal) && line.Contains(library, StringComparison.Ordinal))
            .Select(line => line["mapped: ".Length..].Trim())
            .ToArray();

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex GlibcVersion();
}
