using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Serverless.Infra.Tests;

/// <summary>
/// Role ids checked against the Azure RBAC built-in roles reference (Reference/azure-builtin-roles.json, copied from
/// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), and the per-app role matrix.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class LeastPrivilegeTests(CompiledTemplate t)
{
    private static readonly IReadOnlyDictionary<string, string> BuiltInRoles =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "azure-builtin-roles.json")))!["roles"]!
            .AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);

    [Fact]
    public void Every_role_in_every_roles_table_is_the_builtin_role_of_that_name()
    {
        var tables = new List<JsonObject>();
        void Find(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                if (o["variables"]?["roles"] is JsonObject roles)
                {
                    tables.Add(roles);
                }

                foreach (var (_, v) in o)
                {
                    Find(v);
                }
            }
            else if (n is JsonArray a)
            {
                foreach (var v in a)
                {
                    Find(v);
                }
            }
        }

        Find(t.Root);
        Assert.NotEmpty(tables);
        foreach (var (key, role) in tables.SelectMany(x => x))
        {
            var name = (string)role!["name"]!;
            Assert.True(BuiltInRoles.TryGetValue(name, out var id), $"roles.{key}: '{name}' is not a built-in role in the reference");
            Assert.Equal(id, (string)role["id"]!);
        }
    }

    [Fact]
    public void Every_guid_in_the_compiled_template_is_a_builtin_role_id()
    {
        var guids = Guid().Matches(t.Json).Select(m => m.Value.ToLowerInvariant()).Distinct().ToList();
        Assert.NotEmpty(guids);
        var known = BuiltInRoles.Values.ToHashSet();
        Assert.All(guids, g => Assert.True(known.Contains(g), $"{g} in the compiled template is not an Azure built-in role id"));
    }

    [Fact]
    public void The_reference_check_catches_a_wrong_id()
    {
        // The ids the template used before: one character group off, so a look-alike check would pass them.
        Assert.DoesNotContain("ba92f5b4-2d11-453d-a403-e96b0c172fe3", BuiltInRoles.Values);
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", BuiltInRoles["Storage Blob Data Contributor"]);
    }

    private sealed record Grant(string Principal, string Role, string Scope);

    private List<Grant> Grants(string module, string target)
    {
        var roles = t.Root["variables"]!["roles"]!.AsObject();
        string RoleName(string expr)
        {
            var m = Regex.Match(expr, @"variables\('roles'\)\.(\w+)\.id");
            Assert.True(m.Success, $"role given as '{expr}', not from the roles table");
            return (string)roles[m.Groups[1].Value]!["name"]!;
        }

        string Principal(string expr) => Regex.Match(expr, @"reference\('(\w+)Identity'\)") is { Success: true } m
            ? m.Groups[1].Value
            : expr.Contains("parameters('principalId')") ? "user" : throw new InvalidOperationException($"unknown principal {expr}");

        string Resolve(string expr) => Regex.Match(expr, @"^variables\('(\w+)'\)$") is { Success: true } v ? (string)t.Root["variables"]![v.Groups[1].Value]! : expr.Trim('\'');

        var value = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == module).Properties!["parameters"]!["roleAssignments"]!["value"]!;
        var grants = new List<Grant>();
        if (value is JsonArray items)
        {
            foreach (var o in items)
            {
                grants.Add(new Grant(Principal((string)o!["principalId"]!), RoleName((string)o["roleDefinitionId"]!), target));
            }
        }
        else
        {
            var text = (string)value!;
            foreach (Match m in StorageGrant().Matches(text))
            {
                var scope = m.Groups[4].Success ? $"{m.Groups[4].Value}:{Resolve(m.Groups[5].Value)}" : target;
                grants.Add(new Grant(Principal(m.Groups[1].Value), RoleName(m.Groups[3].Value), scope));
            }

            // Every createObject in the expression was understood, and the user's roles come from userRoles.
            Assert.Equal(Regex.Matches(text, "createObject").Count, grants.Count);
            Assert.Contains("variables('userRoles')", text);
            foreach (Match m in StorageGrant().Matches((string)t.Root["variables"]!["userRoles"]!))
            {
                grants.Add(new Grant("user", RoleName(m.Groups[3].Value), target));
            }
        }

        return grants;
    }

    [Fact]
    public void Each_app_has_its_own_identity_with_roles_scoped_to_what_it_touches()
    {
        var all = Grants("storage", "account").Concat(Grants("monitoring", "appinsights")).Concat(Grants("registry", "acr")).Concat(Grants("registry-events", "topic"))
            .Select(g => $"{g.Principal} | {g.Role} | {g.Scope}").Order().ToList();
        string[] expected =
        [
            "api | EventGrid Data Sender | topic",
            "api | Monitoring Metrics Publisher | appinsights",
            "api | Storage Blob Data Owner | account",
            "api | Storage Queue Data Contributor | account",
            "api | Storage Table Data Contributor | account",
            "scorer | AcrPull | acr",
            "scorer | Monitoring Metrics Publisher | appinsights",
            "scorer | Storage Blob Data Contributor | container:predictions",
            "scorer | Storage Blob Data Reader | container:models",
            "scorer | Storage Blob Data Reader | container:registry",
            "scorer | Storage Table Data Contributor | table:labeling",
            "scorer | Storage Table Data Reader | table:features",
            "trainer | AcrPull | acr",
            "trainer | Monitoring Metrics Publisher | appinsights",
            "trainer | Storage Blob Data Contributor | container:runs",
            "trainer | Storage Blob Data Reader | container:datasets",
            "trainer | Storage Queue Data Contributor | queue:gpu-training-requests",
            "trainer | Storage Queue Data Contributor | queue:gpu-training-results",
            "user | Storage Blob Data Contributor | account",
            "user | Storage Queue Data Contributor | account",
        ];
        Assert.Equal(expected.Order(), all);
        // Only the Functions host owns blobs.
        Assert.DoesNotContain(all, g => g.Contains("Owner") && !g.StartsWith("api |"));
    }

    [Fact]
    public void Scoped_grants_are_assigned_on_the_container_queue_or_table_itself()
    {
        var assignments = t.OfType("Microsoft.Authorization/roleAssignments").Where(r => r.Module == "storage").ToDictionary(r => (string)r.Body["scope"]!);
        Assert.Equal(4, assignments.Count);
        Assert.Contains(assignments.Keys, s => s.StartsWith("[resourceId('Microsoft.Storage/storageAccounts', "));
        Assert.Contains(assignments.Keys, s => s.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', ") && s.Contains("containerAssignments"));
        Assert.Contains(assignments.Keys, s => s.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/queueServices/queues', ") && s.Contains("queueAssignments"));
        Assert.Contains(assignments.Keys, s => s.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', ") && s.Contains("tableAssignments"));
    }

    [Fact]
    public void Each_app_runs_as_its_own_identity_and_names_it_for_storage_clients()
    {
        var modules = t.OfType("Microsoft.Resources/deployments").Where(d => d.Module == "main").ToDictionary(d => (string)d.Body["name"]!);
        foreach (var app in new[] { "api", "scorer", "trainer" })
        {
            var p = modules[app].Properties!["parameters"]!;
            Assert.Equal($"[reference('{app}Identity').outputs.id.value]", (string)p["identityId"]!["value"]!);
            Assert.Equal($"[reference('{app}Identity').outputs.clientId.value]", (string)p["identityClientId"]!["value"]!);
        }

        // StorageClients (core/Storage/StorageClients.cs) picks the user-assigned identity from AzureWebJobsStorage__clientId.
        foreach (var type in new[] { "Microsoft.App/containerApps", "Microsoft.App/jobs" })
        {
            var container = t.Single(type).Properties!["template"]!["containers"]![0]!;
            Assert.True(CompiledTemplate.EnvSets(container, "AzureWebJobsStorage__clientId", "[parameters('identityClientId')]"), $"{type}: AzureWebJobsStorage__clientId");
        }

        var rule = t.Single("Microsoft.App/jobs").Properties!["configuration"]!["eventTriggerConfig"]!["scale"]!["rules"]![0]!;
        Assert.Equal("[parameters('identityId')]", (string)rule["identity"]!);
        // No output is named AZURE_CLIENT_ID: azd would write it into the environment the pipeline signs in with.
        Assert.False(t.Root["outputs"]!.AsObject().ContainsKey("AZURE_CLIENT_ID"));
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"createObject\('principalId', (.+?), 'principalType', (.+?), 'roleDefinitionId', (variables\('roles'\)\.\w+\.id)(?:, '(container|queue|table)', ('[^']*'|variables\('\w+'\)))?\)")]
    private static partial Regex StorageGrant();
}
