using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.FeatureStore;

public sealed class FeatureViewCatalogTests
{
    internal static string Definition(string name, string entity = "customer_id", string owner = "crm", string tags = "\"customer\"", string ttl = "1.00:00:00", string features = """{ "name": "f", "type": "numeric" }""", string? version = null) => $$"""
        {
          "name": "{{name}}", {{(version is null ? "" : $"\"version\": \"{version}\",")}}
          "entities": ["{{entity}}"],
          "features": [{{features}}],
          "source": { "dataset": "src", "timestampColumn": "ts" },
          "ttl": "{{ttl}}", "owner": "{{owner}}", "tags": [{{tags}}]
        }
        """;

    [Fact]
    public void The_repository_definitions_load()
    {
        var catalog = FeatureViewCatalog.LoadFolder(Path.Combine(Azurite.FindRoot(), "features"));
        Assert.Equal(["customer_profile", "customer_usage"], catalog.All.Select(v => v.View.Name));
        Assert.All(catalog.All, v => Assert.Equal(v.DefinitionHash[..12], v.Version));
    }

    [Fact]
    public void A_missing_folder_is_an_empty_catalog() =>
        Assert.Empty(FeatureViewCatalog.LoadFolder(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).All);

    [Fact]
    public void Every_problem_of_every_file_is_reported_with_the_file_and_path()
    {
        var e = Assert.Throws<InvalidFeatureViewException>(() => FeatureViewCatalog.FromFiles(
        [
            ("good.json", Definition("good")),
            ("bad.json", Definition("bad", ttl: "-1.00:00:00", owner: " ", tags: "\"UPPER\"")),
            ("renamed.json", Definition("other")),
            ("broken.json", "{ not json"),
        ]));
        var problems = e.Problems.Select(p => $"{p.File} {p.Problem.Path}").ToList();
        Assert.Contains("bad.json $.ttl", problems);
        Assert.Contains("bad.json $.owner", problems);
        Assert.Contains("bad.json $.tags[0]", problems);
        Assert.Contains("renamed.json $.name", problems);
        Assert.Contains("broken.json $", problems);
        Assert.DoesNotContain(e.Problems, p => p.File == "good.json");
        Assert.Contains("bad.json: $.ttl:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_problems_are_all_listed_at_once()
    {
        var parsed = FeatureViewValidator.Parse("""{ "name": 5, "entities": "id", "features": [{ "name": "f", "type": "float" }], "source": {}, "ttl": "1d", "owner": "o", "extra": 1 }""");
        Assert.False(parsed.IsValid);
        Assert.Equal(
            ["$.entities", "$.extra", "$.features[0].type", "$.name", "$.source.dataset", "$.source.timestampColumn", "$.ttl"],
            parsed.Problems.Select(p => p.Path).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Search_matches_every_given_criterion()
    {
        var catalog = FeatureViewCatalog.FromFiles(
        [
            ("customer_profile.json", Definition("customer_profile", owner: "crm", tags: "\"customer\", \"profile\"")),
            ("customer_usage.json", Definition("customer_usage", owner: "usage", tags: "\"customer\"")),
            ("store_sales.json", Definition("store_sales", entity: "store_id", owner: "retail", tags: "\"sales\"")),
        ]);
        string[] Names(FeatureViewQuery q) => [.. catalog.Search(q).Select(v => v.View.Name)];
        Assert.Equal(["customer_profile", "customer_usage", "store_sales"], Names(new()));
        Assert.Equal(["customer_profile", "customer_usage"], Names(new(Name: "CUSTOMER")));
        Assert.Equal(["customer_profile"], Names(new(Tag: "profile")));
        Assert.Equal(["customer_usage"], Names(new(Tag: "customer", Owner: "usage")));
        Assert.Equal(["store_sales"], Names(new(Entity: "store_id")));
        Assert.Empty(Names(new(Name: "customer", Entity: "store_id")));
    }

    [Fact]
    public void The_version_changes_with_the_definition_not_with_its_documentation()
    {
        RegisteredFeatureView Load(string json) => FeatureViewCatalog.FromFiles([("v.json", json)]).All.Single();
        var v1 = Load(Definition("v"));
        Assert.Equal(v1.Version, Load(Definition("v", owner: "someone-else", tags: "\"other\"")).Version);
        Assert.NotEqual(v1.Version, Load(Definition("v", ttl: "2.00:00:00")).Version);
        Assert.NotEqual(v1.Version, Load(Definition("v", features: """{ "name": "f", "type": "categorical" }""")).Version);
        Assert.NotEqual(v1.Version, Load(Definition("v", entity: "account_id")).Version);
        var pinned = Load(Definition("v", version: "2"));
        Assert.Equal("2", pinned.Version);
        Assert.Equal(v1.DefinitionHash, pinned.DefinitionHash);
    }

    [Fact]
    public void Model_specs_refer_to_views_by_a_valid_name_once()
    {
        var spec = new ModelSpec
        {
            Task = ModelTask.Binary, Label = "y", Features = [new("x", FeatureType.Numeric)],
            FeatureViews = [new("customer_profile", ["a", "a"]), new("customer_profile"), new("Bad-Name"), new("v", [])],
        };
        var paths = ModelSpecValidator.Validate(spec).Select(p => p.Path).ToList();
        Assert.Contains("$.featureViews[0].features[1]", paths);
        Assert.Contains("$.featureViews[1].view", paths);
        Assert.Contains("$.featureViews[2].view", paths);
        Assert.Contains("$.featureViews[3].features", paths);
    }
}
