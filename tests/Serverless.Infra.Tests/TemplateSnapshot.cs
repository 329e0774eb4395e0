using System.Text.Json.Nodes;

namespace Serverless.Infra.Tests;

/// <summary>
/// <c>bicep snapshot</c> of infra/main.bicep for one set of parameters: Bicep evaluates the template offline (conditions,
/// modules, parameter values) and lists the resources a deployment would create. Expressions it cannot resolve without
/// Azure (environment(), reference()) stay as ARM expressions in the values.
/// </summary>
public sealed class TemplateSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000aaaa";
    public const string TenantId = "00000000-0000-0000-0000-00000000bbbb";

    private TemplateSnapshot(IReadOnlyList<JsonObject> resources) => Resources = resources;

    public IReadOnlyList<JsonObject> Resources { get; }

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Snapshots main.bicep with its required parameters plus <paramref name="parameters"/> (Bicep literals).</summary>
    public static async Task<TemplateSnapshot> CreateAsync(IReadOnlyDictionary<string, string> parameters)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"snapshot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // Bicep refuses absolute paths in `using`.
            var lines = new List<string>
            {
                $"using '{Path.GetRelativePath(dir, Repo.Path("infra", "main.bicep")).Replace('\\', '/')}'",
                "param environmentName = 'snap'",
                "param location = 'swedencentral'",
                "param scorerApiKey = 'snapshot-key'",
            };
            lines.AddRange(parameters.Select(p => $"param {p.Key} = {p.Value}"));
            var file = Path.Combine(dir, "main.bicepparam");
            await File.WriteAllLinesAsync(file, lines);

            var result = await Repo.RunBicepAsync(
                "snapshot", file, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", "swedencentral");
            var output = Path.Combine(dir, "main.snapshot.json");
            Assert.True(result.ExitCode == 0 && File.Exists(output), $"bicep snapshot failed:\n{result.Output}");
            var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
            Assert.Empty(snapshot["diagnostics"]?.AsArray() ?? []);
            return new TemplateSnapshot(snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
