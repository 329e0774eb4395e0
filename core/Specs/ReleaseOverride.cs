using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Core.Specs;

/// <summary>
/// An operator's settings for one release (the body of <c>POST …/versions/{v}/release</c>): any keys of the spec's
/// <c>release</c> section, each replacing the stored spec's value for this release only. The merged section is checked
/// by <see cref="ModelSpecValidator"/> exactly as a PUT spec is, so the same rules hold; problem paths are the body's
/// (<c>$.steps[1]</c>, not <c>$.release.steps[1]</c>).
/// </summary>
public static class ReleaseOverride
{
    private const string Section = "$.release";

    /// <param name="spec">The stored, valid spec.</param>
    /// <param name="body">The request body; empty: no override.</param>
    public static ReleaseOverrideResult Apply(ModelSpec spec, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (body.IsEmpty)
        {
            return new ReleaseOverrideResult(spec, [], []);
        }

        JsonDocument parsedBody;
        try
        {
            parsedBody = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = PlatformJson.Options.MaxDepth });
        }
        catch (JsonException e)
        {
            return Failed(new SpecProblem("$", e.Message.Split('\n')[0]));
        }

        using (parsedBody)
        {
            if (parsedBody.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Failed(new SpecProblem("$", "The body must be a JSON object with keys of the spec's release section (mode, steps, bakeTime, guardrails, approval, approvalTimeout, routingKey)."));
            }

            var document = JsonSerializer.SerializeToNode(spec, PlatformJson.Options)!.AsObject();
            if (document["release"] is not JsonObject release)
            {
                release = [];
                document["release"] = release;
            }

            var keys = new List<string>();
            foreach (var property in parsedBody.RootElement.EnumerateObject())
            {
                if (keys.Contains(property.Name, StringComparer.Ordinal))
                {
                    return Failed(new SpecProblem($"$.{property.Name}", $"'{property.Name}' is given twice."));
                }

                release[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                keys.Add(property.Name);
            }

            var merged = ModelSpecValidator.Parse(document.ToJsonString(PlatformJson.Options));
            var problems = merged.Problems.Select(Relative).ToArray();
            return problems.Length == 0 ? new ReleaseOverrideResult(merged.Spec, keys, []) : Failed(problems);
        }
    }

    private static ReleaseOverrideResult Failed(params SpecProblem[] problems) => new(null, [], problems);

    /// <summary>The section's path as the body's: <c>$.release.steps[1]</c> → <c>$.steps[1]</c>.</summary>
    private static SpecProblem Relative(SpecProblem p) =>
        p.Path == Section ? p with { Path = "$" }
        : p.Path.StartsWith(Section + ".", StringComparison.Ordinal) || p.Path.StartsWith(Section + "[", StringComparison.Ordinal) ? p with { Path = "$" + p.Path[Section.Length..] }
        : p;
}

/// <param name="Spec">The spec with the overridden release section; null when there are problems.</param>
/// <param name="Keys">The release keys the body set, in its order.</param>
/// <param name="Problems">Every problem, with the body's JSON paths.</param>
public sealed record ReleaseOverrideResult(ModelSpec? Spec, IReadOnlyList<string> Keys, IReadOnlyList<SpecProblem> Problems);
