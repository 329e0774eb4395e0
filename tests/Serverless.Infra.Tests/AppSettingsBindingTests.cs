using System.Text.RegularExpressions;
using Serverless.Core.Hosting;

namespace Serverless.Infra.Tests;

/// <summary>
/// Every <c>Section__Key</c> app setting the templates deploy binds to an options class: a section name that is
/// declared nowhere is silently ignored in Azure (the trainer's queue names were set under <c>Training__</c> while
/// its options read <c>Trainer</c>).
/// </summary>
public sealed partial class AppSettingsBindingTests
{
    [Fact]
    public void Deployed_settings_name_an_options_section_and_property_the_code_declares()
    {
        var sources = new[] { "core", "app", "containers" }
            .SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var settings = Directory.EnumerateFiles(Repo.Path("infra"), "*.bicep", SearchOption.AllDirectories)
            .SelectMany(f => Setting().Matches(File.ReadAllText(f)).Concat(AppSetting().Matches(File.ReadAllText(f))).Select(m => (File: Path.GetFileName(f), Section: m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), Key: m.Groups[2].Value)))
            .Where(s => s.Section != PlatformOptions.DefaultStorageConnection) // the Azure SDK's identity-based connection form
            .ToList();

        Assert.NotEmpty(settings);
        var unbound = settings
            .Where(s => !sources.Any(src => src.Contains($"const string Section = \"{s.Section}\";", StringComparison.Ordinal)
                && Regex.IsMatch(src, $@"\bpublic [\w<>?.]+ {s.Key} \{{ get;")))
            .Select(s => $"{s.File}: {s.Section}:{s.Key}")
            .ToList();
        Assert.True(unbound.Count == 0, "Settings no options class reads: " + string.Join(", ", unbound));
    }

    // Nested sections too: Scorer__EntraId__Audience is section Scorer:EntraId, key Audience.
    [GeneratedRegex(@"name: '([A-Za-z]+(?:__[A-Za-z]+)*)__([A-Za-z]+)'")]
    private static partial Regex Setting();

    // Function App settings are object keys: TrainingRouting__InstanceMemoryMb: string(instanceMemoryMB).
    [GeneratedRegex(@"^\s*'?([A-Za-z]+(?:__[A-Za-z]+)*)__([A-Za-z]+)'?:", RegexOptions.Multiline)]
    private static partial Regex AppSetting();
}
