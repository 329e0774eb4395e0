using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Functions.Tests;

/// <summary>The functions project's build output, located through paths MSBuild baked into this assembly.</summary>
public static class FunctionsBuild
{
    public static string OutputDirectory { get; } = Metadata("FunctionsOutput");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration this test project (and so the functions project) was built in.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The built Serverless.Functions.OpenMpProbe.dll.</summary>
    public static string OpenMpProbe { get; } = Metadata("OpenMpProbe");

    /// <summary>Function name → its bindings, from the SDK-generated <c>functions.metadata</c>.</summary>
    public static IReadOnlyDictionary<string, JsonArray> Functions { get; } = LoadFunctions();

    public static JsonNode ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
        ?? throw new InvalidDataException($"{path} is empty.");

    /// <summary>The trigger binding of <paramref name="function"/> (the one whose type ends in "Trigger").</summary>
    public static JsonNode Trigger(string function)
    {
        Assert.True(Functions.TryGetValue(function, out var bindings), $"functions.metadata has no function '{function}'.");
        return Assert.Single(bindings!, b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;
    }

    private static Dictionary<string, JsonArray> LoadFunctions()
    {
        var path = Path.Combine(OutputDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build functions/Serverless.Functions.csproj first.");
        return ReadJson(path).AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]!.AsArray());
    }

    private static string Metadata(string key) =>
        typeof(FunctionsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; see the test project file.");
}
