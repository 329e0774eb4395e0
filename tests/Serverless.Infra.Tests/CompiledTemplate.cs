using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Serverless.Infra.Tests;

/// <summary>One resource of the compiled template, with the nested deployment (module) it sits in.</summary>
public sealed record TemplateResource(string Type, JsonObject Body, JsonObject Template, string Module)
{
    public JsonNode? Properties => Body["properties"];
}

/// <summary>Builds and lints infra/main.bicep once per test run (the two run side by side).</summary>
public sealed partial class CompiledTemplate : IAsyncLifetime
{
    public Repo.Result Build { get; private set; } = null!;
    public Repo.Result Lint { get; private set; } = null!;
    public string Json { get; private set; } = "";
    public JsonObject Root { get; private set; } = null!;
    public IReadOnlyList<TemplateResource> Resources { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var main = Repo.Path("infra", "main.bicep");
        var build = Repo.RunBicepAsync("build", main, "--stdout");
        var lint = Repo.RunBicepAsync("lint", main);
        Build = await build;
        Lint = await lint;
        Assert.True(Build.ExitCode == 0, $"bicep build failed:\n{Build.StdErr}");
        Json = Build.StdOut;
        Root = JsonNode.Parse(Json)!.AsObject();
        var all = new List<TemplateResource>();
        Collect(Root, "main", all);
        Resources = all;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public IEnumerable<TemplateResource> OfType(string type) => Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public TemplateResource Single(string type) => Assert.Single(OfType(type));

    /// <summary>The Function App's app settings (beside it, a conditional authsettingsV2 is also a sites/config).</summary>
    public TemplateResource AppSettings() =>
        Assert.Single(OfType("Microsoft.Web/sites/config"), r => ((string)r.Body["name"]!).Contains("'appsettings'", StringComparison.Ordinal));

    /// <summary>
    /// Whether a container's env sets <paramref name="name"/> to the ARM expression <paramref name="value"/>: env is a
    /// literal array, or a concat(...) expression where optional variables are appended (the scorer's Entra ID ones).
    /// </summary>
    public static bool EnvSets(JsonNode container, string name, string value) => container["env"] switch
    {
        JsonArray env => env.Any(e => (string)e!["name"]! == name && (string)e["value"]! == value),
        JsonValue expression => ((string)expression!).Contains($"createObject('name', '{name}', 'value', {Unbracket(value)})", StringComparison.Ordinal),
        _ => false,
    };

    private static string Unbracket(string value) =>
        value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : $"'{value}'";

    private static void Collect(JsonObject template, string module, List<TemplateResource> into)
    {
        // languageVersion 2.0 keys resources by symbolic name; 1.0 lists them.
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var r in resources.OfType<JsonObject>())
        {
            var type = (string)r["type"]!;
            into.Add(new TemplateResource(type, r, template, module));
            if (type == "Microsoft.Resources/deployments" && r["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, (string?)r["name"] ?? "?", into);
            }
        }
    }

    /// <summary>Role assignments as main.bicep hands them to the modules: literal objects and createObject(...) expressions.</summary>
    public IReadOnlyList<(string Principal, string PrincipalType, string RoleRef)> RoleAssignmentInputs()
    {
        var found = new List<(string, string, string)>();
        foreach (Match m in CreateObjectAssignment().Matches(Json))
        {
            found.Add((m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value));
        }

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                // (the assignment resources themselves read parameters('roleAssignments')[copyIndex()]: not inputs)
                case JsonObject o when o["principalId"] is JsonValue p && o["roleDefinitionId"] is JsonValue r && o["principalType"] is JsonValue t
                    && !((string)p!).Contains("copyIndex()"):
                    found.Add(((string)p!, (string)t!, (string)r!));
                    break;
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
            }
        }

        Walk(Root);
        return found;
    }

    [GeneratedRegex(@"createObject\('principalId', (.+?), 'principalType', (.+?), 'roleDefinitionId', (variables\('roles'\)\.\w+|'[^']*')")]
    private static partial Regex CreateObjectAssignment();
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "infra";
}
