using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Serverless.Infra.Tests;

/// <summary>
/// The dependency rules of the tree: which project may reference which, what the scorer's and the orchestration's
/// graphs may pull in, and the direction of dependencies between namespaces. Namespaces are read from the sources
/// (<c>namespace</c> and <c>using</c> directives, and fully qualified <c>Serverless.*</c> names), so a rule breaks
/// the moment a file adds the wrong <c>using</c>, before anything is built.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Every production project and the projects it may reference: exactly these, so a new edge is a decision.</summary>
    private static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        ["core/Serverless.Core.csproj"] = [],
        ["defaults/Serverless.ServiceDefaults.csproj"] = ["core/Serverless.Core.csproj"],
        ["app/Serverless.App.csproj"] = ["core/Serverless.Core.csproj", "defaults/Serverless.ServiceDefaults.csproj"],
        ["durable/Serverless.Durable.csproj"] = ["core/Serverless.Core.csproj"],
        ["functions/Serverless.Functions.csproj"] = ["app/Serverless.App.csproj", "durable/Serverless.Durable.csproj"],
        ["local/Serverless.Local.csproj"] = ["app/Serverless.App.csproj", "durable/Serverless.Durable.csproj"],
        ["containers/scorer/Serverless.Scorer.csproj"] = ["app/Serverless.App.csproj"],
        ["containers/trainer/Serverless.Trainer.csproj"] = ["core/Serverless.Core.csproj", "defaults/Serverless.ServiceDefaults.csproj"],

        // The CLI talks to the public HTTP API only (its own copy of the spec's schema is embedded).
        ["cli/Serverless.Cli.csproj"] = [],
    };

    /// <summary>
    /// Core's namespaces, lowest first: each may use only namespaces of a lower layer (and its own). Specs are read
    /// through Storage; datasets are checked against specs; ingest turns a drop into a checked snapshot; evaluation compares model outputs; the registry keeps
    /// gate reports; scoring serves registered models; monitoring watches what scoring logged; training builds
    /// models and their drift reference; promotion evaluates, registers and promotes what training built.
    /// </summary>
    private static readonly string[][] CoreLayers =
    [
        ["Serverless.Core"],
        ["Serverless.Core.Storage", "Serverless.Core.Telemetry", "Serverless.Core.Onnx"],
        ["Serverless.Core.Specs"],
        ["Serverless.Core.Datasets", "Serverless.Core.Runs", "Serverless.Core.Hosting"],
        ["Serverless.Core.FeatureStore"],
        ["Serverless.Core.Features", "Serverless.Core.Evaluation", "Serverless.Core.Ingest"],
        ["Serverless.Core.Registry"],
        ["Serverless.Core.Scoring"],
        ["Serverless.Core.Monitoring"],
        ["Serverless.Core.Explanations"],
        ["Serverless.Core.Training"],
        ["Serverless.Core.Promotion"],
        ["Serverless.Core.BatchScoring", "Serverless.Core.Releases"],
    ];

    [Fact]
    public void Projects_reference_only_what_their_layer_allows()
    {
        foreach (var (project, allowed) in AllowedProjectReferences)
        {
            Assert.Equal(allowed.Order(), ProjectReferences(project).Order());
        }
    }

    [Fact]
    public void The_scorer_pulls_in_no_DurableTask_package_and_durable_no_AspNetCore()
    {
        var scorer = Closure("containers/scorer/Serverless.Scorer.csproj");
        Assert.DoesNotContain("durable/Serverless.Durable.csproj", scorer);
        var durableTask = scorer.SelectMany(p => Items(p, "PackageReference")).Where(p => p.Contains("DurableTask", StringComparison.Ordinal)).ToList();
        Assert.True(durableTask.Count == 0, "The scorer's graph references " + string.Join(", ", durableTask));

        var aspNet = Closure("durable/Serverless.Durable.csproj").SelectMany(p => Items(p, "FrameworkReference").Concat(Items(p, "PackageReference")))
            .Where(r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
        Assert.True(aspNet.Count == 0, "durable/'s graph references " + string.Join(", ", aspNet));

        // What restore resolved, transitive packages included (the solution is restored before tests run).
        var scorerPackages = Assets("containers/scorer").GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
        Assert.NotEmpty(scorerPackages);
        Assert.DoesNotContain(scorerPackages, l => l.Contains("DurableTask", StringComparison.Ordinal));
        var durableFrameworks = Assets("durable").GetProperty("project").GetProperty("frameworks").EnumerateObject()
            .SelectMany(f => f.Value.TryGetProperty("frameworkReferences", out var refs) ? refs.EnumerateObject().Select(r => r.Name) : []);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", durableFrameworks);
    }

    private static System.Text.Json.JsonElement Assets(string projectFolder) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repo.Path(projectFolder, "obj", "project.assets.json"))).RootElement;

    [Theory]
    [InlineData("containers/scorer")]
    [InlineData("containers/trainer")]
    public void A_container_build_copies_every_project_its_image_builds(string container)
    {
        var dockerfile = Repo.ReadText(container, "Dockerfile");
        foreach (var project in Closure($"{container}/{System.IO.Path.GetFileName(Directory.GetFiles(Repo.Path(container), "*.csproj").Single())}"))
        {
            var folder = System.IO.Path.GetDirectoryName(project)!.Replace('\\', '/');
            Assert.Contains($"COPY {project} {folder}/", dockerfile, StringComparison.Ordinal);
            Assert.Contains($"COPY {folder}/ {folder}/", dockerfile, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Core_namespaces_depend_only_downwards()
    {
        var rank = CoreLayers.SelectMany((layer, i) => layer.Select(ns => (ns, i))).ToDictionary(x => x.ns, x => x.i);
        var violations = new List<string>();
        foreach (var (from, to, file) in NamespaceEdges("core"))
        {
            var (a, b) = (CoreGroup(from), CoreGroup(to));
            Assert.True(rank.ContainsKey(a), $"{file}: namespace {from} is in no layer of {nameof(CoreLayers)}");
            Assert.True(rank.ContainsKey(b), $"{file}: namespace {to} is in no layer of {nameof(CoreLayers)}");
            if (a != b && rank[b] >= rank[a])
            {
                violations.Add($"{file}: {from} → {to}");
            }
        }

        Assert.True(violations.Count == 0, "Upward or sideways dependencies:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void No_namespace_is_part_of_a_cycle()
    {
        var edges = new[] { "core", "defaults", "app", "durable", "functions", "local", "containers" }
            .SelectMany(NamespaceEdges)
            .Where(e => e.From != e.To)
            .GroupBy(e => e.From)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).ToHashSet());
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).Select(c => string.Join(" ↔ ", c.Order())).ToList();
        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_rules_see_a_violation()
    {
        // The parser must find what the rules are about, or every rule above passes vacuously.
        var edges = NamespaceEdges("core").ToList();
        Assert.Contains(edges, e => e.From == "Serverless.Core.Scoring" && e.To == "Serverless.Core.Registry");
        Assert.Contains("core/Serverless.Core.csproj", ProjectReferences("app/Serverless.App.csproj"));
        Assert.Contains(StronglyConnected(new() { ["A"] = ["B"], ["B"] = ["A"] }), c => c.Count == 2);
    }

    private static string CoreGroup(string ns) => ns.Split('.') is { Length: > 2 } parts ? string.Join('.', parts[..3]) : ns;

    private static IEnumerable<string> ProjectReferences(string project) =>
        Items(project, "ProjectReference").Select(r => System.IO.Path.GetRelativePath(Repo.Root, System.IO.Path.GetFullPath(System.IO.Path.Combine(Repo.Path(System.IO.Path.GetDirectoryName(project)!), r))).Replace('\\', '/'));

    private static IEnumerable<string> Items(string project, string kind) =>
        XDocument.Load(Repo.Path(project)).Descendants(kind).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>([project]);
        while (todo.TryPop(out var p))
        {
            if (seen.Add(p))
            {
                foreach (var r in ProjectReferences(p)) todo.Push(r);
            }
        }

        return seen;
    }

    /// <summary>
    /// (namespace of the file, Serverless namespace it uses, file) for every production source under <paramref name="folder"/>:
    /// <c>using</c> directives, and fully qualified names resolved to the longest declared namespace they start with.
    /// </summary>
    private static IEnumerable<(string From, string To, string File)> NamespaceEdges(string folder)
    {
        foreach (var (file, ns, text) in Sources.Where(s => s.File.StartsWith(folder + "/", StringComparison.Ordinal)))
        {
            foreach (Match used in QualifiedName().Matches(NamespaceDeclaration().Replace(text, "")))
            {
                var name = used.Value;
                while (!DeclaredNamespaces.Contains(name) && name.LastIndexOf('.') is var dot and > 0)
                {
                    name = name[..dot];
                }

                if (DeclaredNamespaces.Contains(name))
                {
                    yield return (ns, name, file);
                }
            }
        }
    }

    private static readonly List<(string File, string Namespace, string Text)> Sources =
        new[] { "core", "defaults", "app", "durable", "functions", "local", "containers" }
            .SelectMany(folder => Directory.EnumerateFiles(Repo.Path(folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => System.IO.Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(s => s is "bin" or "obj"))
            .Select(f => (File: f, Text: File.ReadAllText(Repo.Path(f))))
            .Select(x => (x.File, NamespaceDeclaration().Match(x.Text) is { Success: true } m ? m.Groups[1].Value : "", x.Text))
            .Where(x => x.Item2.Length > 0)
            .ToList();

    private static readonly HashSet<string> DeclaredNamespaces = Sources.Select(s => s.Namespace).ToHashSet();

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                result.Add(component);
            }
        }

        foreach (var v in edges.Keys.ToList())
        {
            if (!index.ContainsKey(v)) Visit(v);
        }

        return result;
    }

    [GeneratedRegex(@"^namespace (Serverless[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"(?<![\w.])Serverless(?:\.\w+)+")]
    private static partial Regex QualifiedName();
}
