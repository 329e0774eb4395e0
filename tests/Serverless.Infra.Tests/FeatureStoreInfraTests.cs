using Serverless.Core.FeatureStore;

namespace Serverless.Infra.Tests;

/// <summary>
/// The scorer serves requests that send only entity keys (issue #15): it finds the online store through the table
/// endpoint the storage clients read and may read table <see cref="OnlineFeatureStore.TableName"/>, nothing more.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class FeatureStoreInfraTests(CompiledTemplate t)
{
    [Fact]
    public void The_online_store_table_is_created_up_front_because_the_scorer_cannot_create_it()
    {
        var tables = t.Root["variables"]!["platformTables"]!.AsArray().Select(n => (string)n!);
        Assert.Contains(OnlineFeatureStore.TableName, tables);
    }

    [Fact]
    public void The_scorer_reads_the_online_store_table_and_only_reads_it()
    {
        var grants = (string)t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "storage").Properties!["parameters"]!["roleAssignments"]!["value"]!;
        var onTable = grants.Split("createObject(").Where(g => g.Contains($"'table', '{OnlineFeatureStore.TableName}'", StringComparison.Ordinal)).ToList();
        var grant = Assert.Single(onTable);
        Assert.Contains("reference('scorerIdentity')", grant, StringComparison.Ordinal);
        Assert.Contains("variables('roles').storageTableDataReader.id", grant, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scorer_finds_the_table_endpoint_with_its_own_identity()
    {
        var container = t.Single("Microsoft.App/containerApps").Properties!["template"]!["containers"]![0]!;
        Assert.True(CompiledTemplate.EnvSets(container, "AzureWebJobsStorage__tableServiceUri", "[parameters('storageTableEndpoint')]"), "AzureWebJobsStorage__tableServiceUri");
        Assert.True(CompiledTemplate.EnvSets(container, "AzureWebJobsStorage__credential", "managedidentity"), "AzureWebJobsStorage__credential");
        Assert.True(CompiledTemplate.EnvSets(container, "AzureWebJobsStorage__clientId", "[parameters('identityClientId')]"), "AzureWebJobsStorage__clientId");
    }
}
