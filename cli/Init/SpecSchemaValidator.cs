using System.Text.Json.Nodes;
using Json.Schema;

namespace Serverless.Cli.Init;

/// <summary>
/// Checks a spec against <c>schemas/model.schema.json</c>, embedded in the tool: the schema part of the server's
/// validation (the server adds a few rules a schema cannot state; <c>init --put</c> runs those too).
/// </summary>
public static class SpecSchemaValidator
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(SpecSchemaValidator).Assembly.GetManifestResourceStream("Serverless.Cli.model.schema.json")
            ?? throw new InvalidOperationException("The model spec schema is not embedded in the tool.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    /// <summary>Every problem as "location: message"; empty when the spec is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode spec)
    {
        var result = Schema.Value.Evaluate(spec, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } l ? l : "/")}: {e.Value}")).Distinct()];
    }
}
