using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Serverless.Infra.Tests;

/// <summary>azure.yaml against azd's v1.0 schema, plus the structure the rest of the repository relies on.</summary>
public sealed partial class AzureYamlTests
{
    public static JsonObject Load(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repo.ReadText(path));
        stream.Load(reader);
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    public static IReadOnlyList<string> ServiceNames() => Load("azure.yaml")["services"]!.AsObject().Select(s => s.Key).ToList();

    public static string DropFunctionName() =>
        FunctionAttribute().Match(Repo.ReadText("functions", "Intake", "DatasetDropTrigger.cs")).Groups[1].Value;

    // Plain scalars become booleans/numbers as YAML 1.2 core schema reads them; quoted ones stay strings.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when p.Value is "true" or "false" => JsonValue.Create(p.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when long.TryParse(p.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" } => null,
        YamlScalarNode p => JsonValue.Create(p.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonSchema Schema()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", "azure.yaml.v1.0.schema.json");
        // The schema $refs extension schemas for the AI hosts by URL; nothing is fetched: they stand as
        // accept-anything here (this project uses only the function and containerapp hosts).
        foreach (Match m in ExternalRef().Matches(File.ReadAllText(path)))
        {
            var uri = new Uri(m.Groups[1].Value);
            lock (SchemaRegistry.Global)
            {
                try
                {
                    SchemaRegistry.Global.Get(uri);
                }
                catch (RefResolutionException)
                {
                    SchemaRegistry.Global.Register(uri, JsonSchema.True);
                }
            }
        }

        return JsonSchema.FromFile(path);
    }

    [Fact]
    public void Azure_yaml_is_valid_against_the_azd_v1_schema()
    {
        var schema = Schema();
        var result = schema.Evaluate(Load("azure.yaml"), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join('\n', errors));
    }

    [Fact]
    public void The_schema_rejects_a_broken_azure_yaml()
    {
        var schema = Schema();
        var doc = Load("azure.yaml");
        doc["services"]!["scorer"]!["docker"]!["dockerfile"] = "nope";
        Assert.False(schema.Evaluate(doc).IsValid);
    }

    [Fact]
    public void Services_point_at_existing_projects_and_dockerfiles_built_from_the_repository_root()
    {
        var services = Load("azure.yaml")["services"]!.AsObject();
        Assert.Equal(["api", "scorer", "trainer"], services.Select(s => s.Key));
        Assert.Equal("function", (string)services["api"]!["host"]!);
        Assert.Equal("./functions", (string)services["api"]!["project"]!);
        foreach (var (name, svc) in services)
        {
            var project = Path.GetFullPath(Repo.Path((string)svc!["project"]!));
            Assert.True(Directory.Exists(project), $"{name}: project {project} does not exist");
            Assert.NotEmpty(Directory.GetFiles(project, "*.csproj"));
            if ((string)svc["host"]! != "containerapp")
            {
                continue;
            }

            var docker = svc["docker"]!;
            // azd resolves docker.path and docker.context relative to the service's project folder.
            var dockerfile = Path.GetFullPath(Path.Combine(project, (string?)docker["path"] ?? "./Dockerfile"));
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} does not exist");
            var context = Path.GetFullPath(Path.Combine(project, (string)docker["context"]!));
            Assert.Equal(Path.GetFullPath(Repo.Root).TrimEnd('/'), context.TrimEnd('/'));
        }

        Assert.Equal(["./containers/scorer", "./containers/trainer"], new[] { "scorer", "trainer" }.Select(s => (string)services[s]!["project"]!));
    }

    [Fact]
    public void Blob_events_hook_targets_the_drop_functions_and_exists_for_both_shells()
    {
        var name = DropFunctionName();
        Assert.Equal("DatasetDrop", name);
        var hook = Load("azure.yaml")["services"]!["api"]!["hooks"]!["postdeploy"]!;
        foreach (var (os, file) in new[] { ("posix", "subscribe-blob-events.sh"), ("windows", "subscribe-blob-events.ps1") })
        {
            var run = (string)hook[os]!["run"]!;
            var path = Path.GetFullPath(Path.Combine(Repo.Path("functions"), run));
            Assert.Equal(Repo.Path("infra", "hooks", file), path);
            var script = File.ReadAllText(path);
            Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", script);
            Assert.Contains(name, script);
            Assert.Contains("FeedbackDrop", script);
            Assert.Contains("ScoringDrop", script);
            Assert.Contains("scoring", script);
            Assert.Contains("StringContains", script);
            Assert.Contains("/incoming/", script);
            Assert.Contains("Microsoft.Storage.BlobCreated", script);
            Assert.Contains("/blobServices/default/containers/", script);
            Assert.Contains("datasets", script);
            Assert.Contains("feedback", script);
        }

        Assert.True(File.GetUnixFileMode(Repo.Path("infra", "hooks", "subscribe-blob-events.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Only_one_parameters_file_exists()
    {
        // azd prefers main.bicepparam over main.parameters.json: keep one.
        Assert.True(File.Exists(Repo.Path("infra", "main.parameters.json")));
        Assert.False(File.Exists(Repo.Path("infra", "main.bicepparam")));
    }

    [Fact]
    public void Workflows_build_test_lint_and_deploy_with_oidc()
    {
        var ci = Load(".github", "workflows", "ci.yml");
        Assert.True(ci["on"]!.AsObject().ContainsKey("pull_request"));
        var ciText = Repo.ReadText(".github", "workflows", "ci.yml");
        Assert.Contains("bicep lint", ciText);
        Assert.Contains(".ci/run", ciText);

        var deploy = Load(".github", "workflows", "deploy.yml");
        Assert.Equal("write", (string)deploy["permissions"]!["id-token"]!);
        var job = deploy["jobs"]!.AsObject().Single().Value!;
        Assert.Contains("production", job["environment"]!.ToJsonString());
        var text = Repo.ReadText(".github", "workflows", "deploy.yml");
        Assert.Contains("azd provision", text);
        Assert.Contains("azd deploy", text);
        Assert.Contains("--federated-credential-provider", text);
        Assert.DoesNotContain("AZURE_CLIENT_SECRET", text);

        // Deploy only what ci passed: workflow_run on ci's completion, gated on its conclusion, at the tested commit.
        var run = deploy["on"]!["workflow_run"]!;
        Assert.Equal(["ci"], run["workflows"]!.AsArray().Select(w => (string)w!));
        Assert.Equal((string)ci["name"]!, (string)run["workflows"]![0]!);
        Assert.Equal(["completed"], run["types"]!.AsArray().Select(w => (string)w!));
        Assert.False(deploy["on"]!.AsObject().ContainsKey("push"));
        Assert.Contains("github.event.workflow_run.conclusion == 'success'", (string)job["if"]!);
        var steps = job["steps"]!.AsArray();
        Assert.Contains("github.event.workflow_run.head_sha", (string)steps[0]!["with"]!["ref"]!);

        // Smoke test after deploy: the script exists, is executable, checks health and predicts.
        var smoke = steps.Single(s => ((string?)s!["run"])?.Contains("smoke-test.sh") == true)!;
        Assert.True(steps.IndexOf(smoke) > steps.IndexOf(steps.Single(s => (string?)s!["run"] == "azd deploy --all --no-prompt")));
        var script = Repo.ReadText("infra", "hooks", "smoke-test.sh");
        Assert.Contains("/api/health", script);
        Assert.Contains("/predict", script);
        Assert.True(File.GetUnixFileMode(Repo.Path("infra", "hooks", "smoke-test.sh")).HasFlag(UnixFileMode.UserExecute));

        // The federated-credential subject of a job in the production environment is not one `azd pipeline config`
        // creates (it makes ref:refs/heads/<branch> and pull_request: Azure/azure-dev pkg/pipeline/github_provider.go):
        // both the workflow and the README spell out the one to add.
        Assert.Contains("environment:production", text);
        Assert.Contains("repo:<owner>/<repo>:environment:production", Repo.ReadText("README.md"));
    }

    [Fact]
    public void Workflows_build_the_functions_app_with_debian_12s_libgomp()
    {
        // functions/Serverless.Functions.csproj reads LibGompPath (an MSBuild property, so also an environment
        // variable); the runner's own libgomp may need a newer glibc than the Functions image (OpenMpShippingTests).
        foreach (var (file, build) in new[] { ("ci.yml", ".ci/run"), ("deploy.yml", "azd deploy --all --no-prompt") })
        {
            var steps = Load(".github", "workflows", file)["jobs"]!.AsObject().First().Value!["steps"]!.AsArray();
            int Index(string text) => steps.IndexOf(steps.First(s => ((string?)s!["run"])?.Contains(text, StringComparison.Ordinal) == true));
            var libgomp = Index(".ci/libgomp-bookworm.sh");
            Assert.Contains("LibGompPath=", (string)steps[libgomp]!["run"]!);
            Assert.Contains("GITHUB_ENV", (string)steps[libgomp]!["run"]!);
            Assert.True(libgomp < Index(build), $"{file}: libgomp must be fetched before '{build}'.");
        }

        Assert.Contains("debian:bookworm", Repo.ReadText(".ci", "libgomp-bookworm.sh"));
        Assert.True(File.GetUnixFileMode(Repo.Path(".ci", "libgomp-bookworm.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Workflows_use_current_major_versions_of_their_actions()
    {
        // Majors from each action's README: actions/setup-dotnet (v6, its examples use actions/checkout@v7),
        // Azure/setup-azd v2 (what azd's own pipeline template uses), azure/login v3, actions/setup-node v6.
        var current = new Dictionary<string, string>
        {
            ["actions/checkout"] = "v7",
            ["actions/setup-dotnet"] = "v6",
            ["actions/setup-node"] = "v6",
            ["Azure/setup-azd"] = "v2",
            ["azure/login"] = "v3",
        };
        foreach (var file in new[] { "ci.yml", "deploy.yml" })
        {
            foreach (Match m in Regex.Matches(Repo.ReadText(".github", "workflows", file), @"uses:\s*([\w./-]+)@(\S+)"))
            {
                Assert.True(current.TryGetValue(m.Groups[1].Value, out var major), $"{file}: {m.Groups[1].Value} has no known current version");
                Assert.Equal(major, m.Groups[2].Value);
            }
        }
    }

    [Fact]
    public void Azd_version_is_pinned_to_one_that_deploys_container_apps_jobs()
    {
        // host: containerapp deploys a Microsoft.App/jobs target from azd 1.23.8 (azure-dev CHANGELOG, #7001).
        Assert.Equal(">= 1.23.8", (string)Load("azure.yaml")["requiredVersions"]!["azd"]!);
    }

    [GeneratedRegex(@"""\$ref"":\s*""(https?://[^""#]+)")]
    private static partial Regex ExternalRef();

    [GeneratedRegex(@"\[Function\(""(\w+)""\)\]")]
    private static partial Regex FunctionAttribute();
}
