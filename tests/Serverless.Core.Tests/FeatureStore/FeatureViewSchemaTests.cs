using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.FeatureStore;

/// <summary>
/// Keeps schemas/feature-view.schema.json and <see cref="FeatureViewValidator"/> in lockstep: the same definitions
/// pass both, the same broken ones fail both, and the rules the schema cannot state are listed with the reason.
/// </summary>
public sealed class FeatureViewSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(Azurite.FindRoot(), "schemas", "feature-view.schema.json");
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
    private static readonly JsonObject SchemaJson = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();

    private static string ProfileJson => File.ReadAllText(Path.Combine(Azurite.FindRoot(), "features", "customer_profile.json"));

    public static TheoryData<string, string> ValidViews()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Azurite.FindRoot(), "features"), "*.json").Order())
        {
            data.Add($"features/{Path.GetFileName(file)}", File.ReadAllText(file));
        }

        data.Add("record, every field", JsonSerializer.Serialize(
            new FeatureView
            {
                Name = "store_sales", Version = "2024.1", Entities = ["store", "sku"], Owner = "retail", Description = "d", Tags = ["sales", "daily"],
                Features = [new("units_7d", FeatureType.Numeric, "units"), new("promo", FeatureType.Boolean), new("region", FeatureType.Categorical)],
                Source = new("store-sales", "day"), Ttl = TimeSpan.FromDays(7),
            },
            PlatformJson.Indented));
        data.Add("record, least fields", JsonSerializer.Serialize(
            new FeatureView { Name = "a", Entities = ["k"], Owner = "o", Features = [new("f", FeatureType.Numeric)], Source = new("a", "t"), Ttl = TimeSpan.FromSeconds(1) },
            PlatformJson.Options));
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidViews))]
    public void Valid_views_pass_the_schema_and_the_validator(string name, string json)
    {
        var parsed = FeatureViewValidator.Parse(json);
        Assert.True(parsed.IsValid, $"{name}: {string.Join("; ", parsed.Problems)}");
        var result = Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{name}: {string.Join("; ", result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}");
    }

    public static TheoryData<string, string, string?> InvalidViews() => new()
    {
        { "unknown key", """{"entity": ["x"]}""", null },
        { "name with a dash", """{"name": "customer-profile"}""", null },
        { "no owner", """{"owner": null}""", null },
        { "blank owner", """{"owner": "  "}""", null },
        { "no entities", """{"entities": []}""", null },
        { "five entities", """{"entities": ["a", "b", "c", "d", "e"]}""", null },
        { "no features", """{"features": []}""", null },
        { "feature type", """{"features.0.type": "number"}""", null },
        { "feature unknown key", """{"features.0.dtype": "float"}""", null },
        { "source dataset with '_'", """{"source.dataset": "customer_profile"}""", null },
        { "source without timestamp", """{"source": {"dataset": "customer-profile"}}""", null },
        { "ttl 30d", """{"ttl": "30d"}""", null },
        { "version with a space", """{"version": "v 1"}""", null },
        { "tag upper case", """{"tags": ["Customer"]}""", null },
        { "duplicate tags", """{"tags": ["a", "a"]}""", null },
        { "entity with a control character", """{"entities": ["a\tb"]}""", null },

        { "feature named as an entity", """{"features.0.name": "customer_id"}""", "compares two values of the document" },
        { "feature named as the timestamp", """{"features.0.name": "updated_at"}""", "compares two values of the document" },
        { "duplicate feature names", """{"features.1.name": "tenure_months"}""", "uniqueItems compares whole items, not one property of them" },
        { "ttl zero", """{"ttl": "00:00:00"}""", "a minimum on a duration string (the description states it)" },
    };

    [Theory]
    [MemberData(nameof(InvalidViews))]
    public void Invalid_views_fail_the_validator_and_the_schema_unless_a_reason_says_why_not(string name, string change, string? reason)
    {
        var json = Apply(change);
        var parsed = FeatureViewValidator.Parse(json);
        Assert.False(parsed.IsValid, $"{name}: the validator accepted it.");
        var schemaValid = Schema.Evaluate(JsonNode.Parse(json)).IsValid;
        if (reason is null)
        {
            Assert.False(schemaValid, $"{name}: the schema accepted it; the validator said {string.Join("; ", parsed.Problems)}.");
        }
        else
        {
            Assert.True(schemaValid, $"{name}: the schema rejects it now, so drop the reason '{reason}'.");
        }
    }

    [Theory]
    [InlineData(typeof(FeatureView), "")]
    [InlineData(typeof(FeatureViewFeature), "properties.features.items")]
    [InlineData(typeof(FeatureViewSource), "properties.source")]
    public void The_schema_has_the_keys_of_the_records(Type record, string at)
    {
        var node = At(at);
        Assert.False(node["additionalProperties"]!.GetValue<bool>());
        var keys = record == typeof(FeatureView) ? ["$schema"] : Array.Empty<string>();
        var expected = PlatformJson.Options.GetTypeInfo(record).Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null).Select(p => p.Name).Concat(keys).Order();
        Assert.Equal(expected, node["properties"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public void Enums_limits_and_patterns_match_the_validator()
    {
        Assert.Equal(ModelSpecShape.EnumNames(typeof(FeatureType)), At("properties.features.items.properties.type")["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(FeatureViewValidator.MaxEntities, At("properties.entities")["maxItems"]!.GetValue<int>());
        Assert.Equal(FeatureViewValidator.MaxFeatures, At("properties.features")["maxItems"]!.GetValue<int>());
        Assert.Equal(FeatureViewValidator.MaxColumnNameLength, At("$defs.columnName")["maxLength"]!.GetValue<int>());
        Assert.Equal(ModelSpecShape.DurationRegex, At("properties.ttl")["pattern"]!.GetValue<string>());
        Assert.Equal(
            JsonNode.Parse(File.ReadAllText(Path.Combine(Azurite.FindRoot(), "schemas", "model.schema.json")))!["$defs"]!["featureViewReference"]!["properties"]!["view"]!["pattern"]!.GetValue<string>(),
            At("properties.name")["pattern"]!.GetValue<string>());
    }

    [Fact]
    public void Definitions_reference_the_schema_by_a_relative_path_that_exists()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Azurite.FindRoot(), "features"), "*.json"))
        {
            var reference = JsonNode.Parse(File.ReadAllText(file))!["$schema"]!.GetValue<string>();
            Assert.Equal(Path.GetFullPath(SchemaPath), Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference)));
        }
    }

    private static JsonNode At(string path)
    {
        JsonNode node = SchemaJson;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries)) node = node[part]!;
        return node;
    }

    private static string Apply(string change)
    {
        var view = JsonNode.Parse(ProfileJson)!.AsObject();
        foreach (var (path, value) in JsonNode.Parse(change)!.AsObject())
        {
            var parts = path.Split('.');
            JsonNode parent = view;
            foreach (var part in parts[..^1]) parent = int.TryParse(part, out var i) ? parent[i]! : parent[part]!;
            if (int.TryParse(parts[^1], out var index)) parent[index] = value?.DeepClone();
            else parent[parts[^1]] = value?.DeepClone();
        }

        return view.ToJsonString();
    }
}
