using Serverless.Core.FeatureStore;
using Serverless.Core.Monitoring.Labeling;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Core.Storage;

namespace Serverless.Infra.Tests;

/// <summary>infra/main.bicep compiled offline with the pinned Bicep CLI; assertions run on the ARM JSON.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class BicepTemplateTests(CompiledTemplate t)
{
    [Fact]
    public void Lint_reports_no_diagnostics()
    {
        Assert.True(t.Lint.ExitCode == 0 && t.Lint.Output.Length == 0, $"bicep lint:\n{t.Lint.Output}");
    }

    [Fact]
    public void Build_reports_no_diagnostics()
    {
        // Unknown API versions or properties (BCP081/BCP037) are only warnings: any output fails here.
        Assert.True(t.Build.StdErr.Trim().Length == 0, $"bicep build:\n{t.Build.StdErr}");
    }

    [Fact]
    public void Main_is_subscription_scoped_and_creates_the_environment_resource_group()
    {
        Assert.Contains("subscriptionDeploymentTemplate", (string)t.Root["$schema"]!);
        var rg = t.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal("[format('{0}{1}', variables('abbrs').resourcesResourceGroups, parameters('environmentName'))]", (string)rg.Body["name"]!);
        var abbrs = JsonNode.Parse(Repo.ReadText("infra", "abbreviations.json"))!;
        Assert.Equal("rg-", (string)abbrs["resourcesResourceGroups"]!);
        Assert.Contains("uniqueString(subscription().id, parameters('environmentName'), parameters('location'))", (string)t.Root["variables"]!["resourceToken"]!);
    }

    [Fact]
    public void No_keys_or_key_based_connection_strings_anywhere()
    {
        string[] forbidden = ["listKeys", "listConnectionStrings", "listCredentials", "listSecrets", "AccountKey=", "SharedAccessKey", "\"sharedKey\"", "primaryKey", "DefaultEndpointsProtocol"];
        foreach (var f in forbidden)
        {
            Assert.DoesNotContain(f, t.Json, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var file in Directory.EnumerateFiles(Repo.Path("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("listKeys", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Storage_account_accepts_only_entra_id_over_tls12_https()
    {
        var p = t.Single("Microsoft.Storage/storageAccounts").Properties!;
        Assert.False((bool)p["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string)p["minimumTlsVersion"]!);
        Assert.True((bool)p["supportsHttpsTrafficOnly"]!);
        Assert.False((bool)p["allowBlobPublicAccess"]!);
        Assert.True((bool)p["defaultToOAuthAuthentication"]!);
    }

    [Fact]
    public void Storage_has_the_platform_containers_queues_and_tables()
    {
        var vars = t.Root["variables"]!;
        var containers = vars["platformContainers"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.All(BlobLayout.AllContainers, c => Assert.Contains(c, containers));
        var queues = vars["platformQueues"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("[variables('trainingRequestsQueue')]", queues);
        Assert.Equal("gpu-training-requests", (string)vars["trainingRequestsQueue"]!);
        Assert.Equal("gpu-training-results", (string)vars["trainingResultsQueue"]!);
        var tables = vars["platformTables"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(["[format('{0}Instances', variables('taskHubName'))]", "[format('{0}History', variables('taskHubName'))]", LabelingQueue.TableName, OnlineFeatureStore.TableName], tables);

        var storageModule = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "storage");
        var args = storageModule.Properties!["parameters"]!;
        Assert.Equal("[concat(variables('platformContainers'), createArray(variables('deploymentContainerName')))]", (string)args["containers"]!["value"]!);
        Assert.Equal("[variables('platformQueues')]", (string)args["queues"]!["value"]!);
        Assert.Equal("[variables('platformTables')]", (string)args["tables"]!["value"]!);
        Assert.Single(t.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Single(t.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Single(t.OfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Fact]
    public void Function_app_runs_on_flex_consumption_with_identity_based_storage()
    {
        var plan = t.Single("Microsoft.Web/serverfarms").Body;
        Assert.Equal("FC1", (string)plan["sku"]!["name"]!);
        Assert.Equal("FlexConsumption", (string)plan["sku"]!["tier"]!);

        var site = t.Single("Microsoft.Web/sites");
        var p = site.Properties!;
        Assert.True((bool)p["httpsOnly"]!);
        Assert.Equal("1.2", (string)p["siteConfig"]!["minTlsVersion"]!);
        Assert.Equal("Disabled", (string)p["siteConfig"]!["ftpsState"]!);
        Assert.Equal("UserAssigned", (string)site.Body["identity"]!["type"]!);
        var config = p["functionAppConfig"]!;
        Assert.Equal("[parameters('runtimeName')]", (string)config["runtime"]!["name"]!);
        var deployment = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string)deployment["type"]!);
        Assert.Equal("UserAssignedIdentity", (string)deployment["authentication"]!["type"]!);
        Assert.Equal("[parameters('identityId')]", (string)deployment["authentication"]!["userAssignedIdentityResourceId"]!);

        var apiModule = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "api-function-app");
        var args = apiModule.Properties!["parameters"]!;
        Assert.Equal("dotnet-isolated", (string)args["runtimeName"]!["value"]!);
        Assert.Equal("10.0", (string)args["runtimeVersion"]!["value"]!);

        var settings = (string)t.AppSettings().Properties!;
        Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", settings);
        foreach (var key in new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri", "clientId" })
        {
            Assert.Contains($"'AzureWebJobsStorage__{key}'", settings);
        }

        Assert.DoesNotContain("'AzureWebJobsStorage',", settings);
        Assert.Contains("'APPLICATIONINSIGHTS_CONNECTION_STRING'", settings);
        Assert.Contains("Authorization=AAD", settings);
        // Flex Consumption rejects these: the runtime comes from functionAppConfig.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", t.Json);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", t.Json);

        // Basic-auth publishing stays off: deploys authenticate with Entra ID.
        Assert.All(t.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"), r => Assert.False((bool)r.Properties!["allow"]!));
    }

    [Fact]
    public void Every_app_setting_host_json_reads_is_set_on_the_function_app()
    {
        var host = Repo.ReadText("host.json");
        var needed = SettingToken().Matches(host).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("TASKHUB_NAME", needed);
        var api = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "api-function-app");
        var extra = api.Properties!["parameters"]!["appSettings"]!["value"]!.AsObject();
        var settings = (string)t.AppSettings().Properties!;
        Assert.All(needed, n => Assert.True(extra.ContainsKey(n) || settings.Contains($"'{n}'"), $"host.json reads %{n}% but the app does not set it."));
        Assert.Contains("connectionName\": \"AzureWebJobsStorage", host);
    }

    [Fact]
    public void The_listing_timer_is_off_in_azure_where_event_grid_fires_the_blob_triggers()
    {
        var api = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "api-function-app");
        var extra = api.Properties!["parameters"]!["appSettings"]!["value"]!.AsObject();
        Assert.Equal("true", (string)extra["AzureWebJobs.IncomingScan.Disabled"]!);
    }

    [Fact]
    public void Monitoring_uses_entra_only_ingestion()
    {
        Assert.True((bool)t.Single("Microsoft.Insights/components").Properties!["DisableLocalAuth"]!);
        Assert.True((bool)t.Single("Microsoft.OperationalInsights/workspaces").Properties!["features"]!["disableLocalAuth"]!);
        // Container Apps logs go through a diagnostic setting, not the workspace shared key.
        Assert.Equal("azure-monitor", (string)t.Single("Microsoft.App/managedEnvironments").Properties!["appLogsConfiguration"]!["destination"]!);
        Assert.Single(t.OfType("Microsoft.Insights/diagnosticSettings"));
    }

    [Fact]
    public void Container_registry_has_no_admin_user()
    {
        var p = t.Single("Microsoft.ContainerRegistry/registries").Properties!;
        Assert.False((bool)p["adminUserEnabled"]!);
        Assert.False((bool)p["anonymousPullEnabled"]!);
    }

    [Fact]
    public void Container_apps_environment_has_consumption_and_a_serverless_gpu_profile()
    {
        var profiles = t.Single("Microsoft.App/managedEnvironments").Properties!["workloadProfiles"]!.AsArray();
        Assert.Contains(profiles, p => (string)p!["workloadProfileType"]! == "Consumption");
        Assert.Contains(profiles, p => (string)p!["workloadProfileType"]! == "[parameters('gpuProfileType')]" && (string)p["name"]! == "[parameters('gpuProfileName')]");

        var gpu = t.Root["parameters"]!["gpuProfile"]!;
        Assert.Equal(["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"], gpu["allowedValues"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("Consumption-GPU-NC8as-T4", (string)gpu["defaultValue"]!);
        var env = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "container-apps-environment");
        Assert.Equal("[parameters('gpuProfile')]", (string)env.Properties!["parameters"]!["gpuProfileType"]!["value"]!);
        var module = env.Properties!["template"]!["parameters"]!["gpuProfileType"]!;
        Assert.Equal(gpu["allowedValues"]!.ToJsonString(), module["allowedValues"]!.ToJsonString());
        // Sizes exist for every allowed profile.
        var sizes = t.Root["variables"]!["gpuSizes"]!.AsObject();
        Assert.All(gpu["allowedValues"]!.AsArray(), v => Assert.True(sizes.ContainsKey((string)v!)));
    }

    [Fact]
    public void Scorer_runs_on_the_gpu_profile_with_ingress_probes_and_min_replicas()
    {
        var scorer = t.Single("Microsoft.App/containerApps");
        var p = scorer.Properties!;
        Assert.Equal("[parameters('gpuProfileName')]", (string)p["workloadProfileName"]!);
        Assert.True((bool)p["configuration"]!["ingress"]!["external"]!);
        Assert.False((bool)p["configuration"]!["ingress"]!["allowInsecure"]!);
        Assert.Equal("[parameters('identityId')]", (string)p["configuration"]!["registries"]![0]!["identity"]!);
        Assert.Equal("[parameters('minReplicas')]", (string)p["template"]!["scale"]!["minReplicas"]!);
        var container = p["template"]!["containers"]![0]!;
        // No probes while the placeholder (no /api/health) runs; the real image gets them once azd reports it exists.
        Assert.Equal("[if(empty(reference(resourceId('Microsoft.Resources/deployments', format('{0}-image', parameters('name'))), '2025-04-01').outputs.image.value), createArray(), variables('healthProbes'))]", (string)container["probes"]!);
        var probes = scorer.Template["variables"]!["healthProbes"]!.AsArray();
        Assert.Equal(["Startup", "Liveness", "Readiness"], probes.Select(x => (string)x!["type"]!));
        // Liveness (and startup) stay cheap; readiness checks storage and the champions (ScorerReadiness.Path), and
        // its timeout leaves room for the app's own 4 s cap (Scorer:ReadinessTimeout; the probe's default is 1 s).
        Assert.Equal(["/api/health", "/api/health", "/api/health/ready"], probes.Select(x => (string)x!["httpGet"]!["path"]!));
        Assert.Equal(5, (int)probes[2]!["timeoutSeconds"]!);

        var module = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "scorer");
        Assert.Equal("[parameters('scorerMinReplicas')]", (string)module.Properties!["parameters"]!["minReplicas"]!["value"]!);
        Assert.Equal("[reference('containerAppsEnvironment').outputs.gpuProfileName.value]", (string)module.Properties!["parameters"]!["gpuProfileName"]!["value"]!);
    }

    [Fact]
    public void Scorer_key_is_generated_once_by_azd_not_per_deployment()
    {
        // A default of newGuid() would rotate the key on every `azd up`; azd's generate metadata keeps one per environment.
        var key = t.Root["parameters"]!["scorerApiKey"]!;
        Assert.Equal("securestring", (string)key["type"]!);
        Assert.Null(key["defaultValue"]);
        var azd = key["metadata"]!["azd"]!;
        Assert.Equal("generate", (string)azd["type"]!);
        Assert.True((int)azd["config"]!["length"]! >= 32);
        Assert.DoesNotContain("newGuid", t.Root.ToJsonString(), StringComparison.Ordinal);

        // CI: mapped to one env var, so `azd pipeline config` stores the locally generated key as the pipeline secret
        // SCORER_API_KEY (Azure/azure-dev pkg/pipeline/pipeline.go, mergeProjectVariablesAndSecrets: a secure,
        // locally prompted/generated parameter with one env-var mapping becomes a secret) and deploy.yml passes it back.
        var file = JsonNode.Parse(Repo.ReadText("infra", "main.parameters.json"))!["parameters"]!;
        Assert.Equal("${SCORER_API_KEY}", (string)file["scorerApiKey"]!["value"]!);
        var deploy = AzureYamlTests.Load(".github", "workflows", "deploy.yml");
        var env = deploy["jobs"]!["deploy"]!["env"]!;
        Assert.Equal("${{ secrets.SCORER_API_KEY }}", (string)env["SCORER_API_KEY"]!);
        Assert.Contains("SCORER_API_KEY", Repo.ReadText("README.md"));
    }

    [Fact]
    public void Trainer_job_is_started_by_a_keda_azure_queue_rule_authenticated_with_the_identity()
    {
        var job = t.Single("Microsoft.App/jobs");
        var p = job.Properties!;
        Assert.Equal("[parameters('gpuProfileName')]", (string)p["workloadProfileName"]!);
        var cfg = p["configuration"]!;
        Assert.Equal("Event", (string)cfg["triggerType"]!);
        var rule = Assert.Single(cfg["eventTriggerConfig"]!["scale"]!["rules"]!.AsArray())!;
        Assert.Equal("azure-queue", (string)rule["type"]!);
        Assert.Equal("[parameters('identityId')]", (string)rule["identity"]!);
        Assert.Null(rule["auth"]);
        Assert.Equal("[parameters('requestsQueueName')]", (string)rule["metadata"]!["queueName"]!);
        Assert.Equal("[parameters('storageAccountName')]", (string)rule["metadata"]!["accountName"]!);
        Assert.Equal("[parameters('identityId')]", (string)cfg["registries"]![0]!["identity"]!);

        var module = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "trainer");
        Assert.Equal("[variables('trainingRequestsQueue')]", (string)module.Properties!["parameters"]!["requestsQueueName"]!["value"]!);
    }

    [Fact]
    public void Scorer_listens_on_8080_always_and_keeps_the_deployed_image_on_reprovision()
    {
        var scorer = t.Single("Microsoft.App/containerApps");
        var p = scorer.Properties!;
        Assert.Equal("[variables('appPort')]", (string)p["configuration"]!["ingress"]!["targetPort"]!);
        Assert.Equal(8080, (int)scorer.Template["variables"]!["appPort"]!);
        var container = p["template"]!["containers"]![0]!;
        Assert.True(CompiledTemplate.EnvSets(container, "ASPNETCORE_HTTP_PORTS", "[string(variables('appPort'))]"));
        // The image comes from the existing app when azd says it exists (SERVICE_SCORER_RESOURCE_EXISTS).
        const string current = "reference(resourceId('Microsoft.Resources/deployments', format('{0}-image', parameters('name'))), '2025-04-01').outputs.image.value";
        Assert.Equal($"[if(empty({current}), variables('placeholderImage'), {current})]", (string)container["image"]!);
        Assert.Equal("mcr.microsoft.com/dotnet/samples:aspnetapp", (string)scorer.Template["variables"]!["placeholderImage"]!);
        var job = t.Single("Microsoft.App/jobs").Properties!["template"]!["containers"]![0]!;
        Assert.Contains(current, (string)job["image"]!);

        var fetch = t.OfType("Microsoft.Resources/deployments").Where(d => ((string?)d.Body["name"])?.Contains("-image") == true).ToList();
        Assert.Equal(2, fetch.Count);
        Assert.Equal(["[parameters('exists')]", "[parameters('exists')]"], fetch.Select(f => (string)f.Properties!["parameters"]!["exists"]!["value"]!));
        Assert.Equal(["app", "job"], fetch.Select(f => (string)f.Properties!["parameters"]!["kind"]!["value"]!).Order());
        var modules = t.OfType("Microsoft.Resources/deployments").Where(d => d.Module == "main").ToDictionary(d => (string)d.Body["name"]!);
        Assert.Equal("[parameters('scorerExists')]", (string)modules["scorer"].Properties!["parameters"]!["exists"]!["value"]!);
        Assert.Equal("[parameters('trainerExists')]", (string)modules["trainer"].Properties!["parameters"]!["exists"]!["value"]!);

        // azd sets SERVICE_<NAME>_RESOURCE_EXISTS in preprovision (Azure/azure-dev pkg/project/service_target_containerapp.go)
        // and its own scaffolding maps it as ${SERVICE_<NAME>_RESOURCE_EXISTS=false} (internal/scaffold/spec.go).
        var file = JsonNode.Parse(Repo.ReadText("infra", "main.parameters.json"))!["parameters"]!;
        Assert.Equal("${SERVICE_SCORER_RESOURCE_EXISTS=false}", (string)file["scorerExists"]!["value"]!);
        Assert.Equal("${SERVICE_TRAINER_RESOURCE_EXISTS=false}", (string)file["trainerExists"]!["value"]!);
        Assert.Equal("bool", (string)t.Root["parameters"]!["scorerExists"]!["type"]!);
        Assert.DoesNotContain("IMAGE_NAME", Repo.ReadText("infra", "main.parameters.json"));
    }

    [Fact]
    public void Probes_stay_within_the_container_apps_limits()
    {
        // ContainerAppProbe (Microsoft.App REST API): failureThreshold 1-10, periodSeconds 1-240, initialDelaySeconds 1-60.
        // https://learn.microsoft.com/dotnet/api/azure.resourcemanager.appcontainers.models.containerappprobe
        var probes = t.Single("Microsoft.App/containerApps").Template["variables"]!["healthProbes"]!.AsArray();
        Assert.All(probes, probe =>
        {
            Assert.InRange((int?)probe!["failureThreshold"] ?? 3, 1, 10);
            Assert.InRange((int?)probe["periodSeconds"] ?? 10, 1, 240);
            Assert.InRange((int?)probe["initialDelaySeconds"] ?? 1, 1, 60);
            Assert.Equal("[variables('appPort')]", (string)probe["httpGet"]!["port"]!);
        });
        var startup = probes.Single(x => (string)x!["type"]! == "Startup")!;
        // CUDA initialisation and the first model load need minutes, not the 30 s default.
        Assert.True((int)startup["periodSeconds"]! * (int)startup["failureThreshold"]! >= 120);
    }

    [Fact]
    public void Registry_is_versioned_and_logs_expire_after_parameterised_days()
    {
        var blob = t.Single("Microsoft.Storage/storageAccounts/blobServices").Properties!;
        Assert.Equal("[not(empty(parameters('versionedContainers')))]", (string)blob["isVersioningEnabled"]!);
        var args = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "storage").Properties!["parameters"]!;
        Assert.Equal(["registry"], args["versionedContainers"]!["value"]!.AsArray().Select(v => (string)v!));
        var days = args["retentionDays"]!["value"]!.AsObject();
        Assert.Equal(["feedback", "predictions", "processed", "quarantine", "runs"], days.Select(d => d.Key).Order());
        foreach (var (container, value) in days)
        {
            var param = Regex.Match((string)value!, @"^\[parameters\('(\w+)'\)\]$").Groups[1].Value;
            Assert.Equal($"{container}RetentionDays", param);
            Assert.Equal("int", (string)t.Root["parameters"]![param]!["type"]!);
            Assert.Equal(1, (int)t.Root["parameters"]![param]!["minValue"]!);
        }

        Assert.DoesNotContain("registry", days.Select(d => d.Key));
        // Lifecycle management policy schema: https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview
        var policy = t.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        Assert.Equal("[format('{0}/{1}', parameters('name'), 'default')]", (string)policy.Body["name"]!);
        var rule = policy.Template["variables"]!["copy"]!.AsArray().Single(c => (string)c!["name"]! == "expiryRules")!["input"]!;
        Assert.Equal("Lifecycle", (string)rule["type"]!);
        Assert.Equal("[format('{0}/', variables('expiringContainers')[copyIndex('expiryRules')])]", (string)rule["definition"]!["filters"]!["prefixMatch"]![0]!);
        Assert.Equal("[parameters('retentionDays')[variables('expiringContainers')[copyIndex('expiryRules')]]]", (string)rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!);
    }

    [Fact]
    public void Storage_network_access_is_a_parameter_public_by_default()
    {
        var param = t.Root["parameters"]!["storageNetworkAccess"]!;
        Assert.Equal("Public", (string)param["defaultValue"]!);
        Assert.Equal(["Public", "Private"], param["allowedValues"]!.AsArray().Select(v => (string)v!));
        var p = t.Single("Microsoft.Storage/storageAccounts").Properties!;
        Assert.Equal("[if(equals(parameters('networkAccess'), 'Public'), 'Enabled', 'Disabled')]", (string)p["publicNetworkAccess"]!);
        Assert.Equal("[if(equals(parameters('networkAccess'), 'Public'), 'Allow', 'Deny')]", (string)p["networkAcls"]!["defaultAction"]!);
        Assert.Contains("Private endpoints", Repo.ReadText("README.md"));
        Assert.Equal("${STORAGE_NETWORK_ACCESS=Public}", (string)JsonNode.Parse(Repo.ReadText("infra", "main.parameters.json"))!["parameters"]!["storageNetworkAccess"]!["value"]!);

        // Private: a VNet with private endpoints for blob, queue and table, each with its privatelink zone
        // (https://learn.microsoft.com/azure/private-link/private-endpoint-dns), joined by the environment and the Function App.
        var network = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "network");
        Assert.Equal("[variables('privateStorage')]", (string)network.Body["condition"]!);
        Assert.Equal("[equals(parameters('storageNetworkAccess'), 'Private')]", (string)t.Root["variables"]!["privateStorage"]!);
        Assert.Equal(["blob", "queue", "table"], network.Properties!["template"]!["variables"]!["services"]!.AsArray().Select(v => (string)v!));
        var endpoint = t.Single("Microsoft.Network/privateEndpoints").Properties!["privateLinkServiceConnections"]![0]!["properties"]!;
        Assert.Equal("[parameters('storageAccountId')]", (string)endpoint["privateLinkServiceId"]!);
        Assert.Equal("[format('privatelink.{0}.{1}', variables('services')[copyIndex()], environment().suffixes.storage)]", (string)t.Single("Microsoft.Network/privateDnsZones").Body["name"]!);
        var subnets = t.Single("Microsoft.Network/virtualNetworks").Template["variables"]!["subnets"]!.AsArray();
        Assert.Equal(["Microsoft.App/environments", "Microsoft.App/environments", ""], subnets.Select(x => (string)x!["delegation"]!));
        var env = t.Single("Microsoft.App/managedEnvironments").Properties!["vnetConfiguration"]!.ToString();
        Assert.Contains("parameters('infrastructureSubnetId')", env);
        Assert.Contains("parameters('virtualNetworkSubnetId')", t.Single("Microsoft.Web/sites").Properties!["virtualNetworkSubnetId"]!.ToString());
    }

    [Fact]
    public void Location_is_restricted_to_regions_with_serverless_gpus_and_azd_prompts_for_it()
    {
        var location = t.Root["parameters"]!["location"]!;
        Assert.Equal("location", (string)location["metadata"]!["azd"]!["type"]!);
        // Consumption GPU regions: https://learn.microsoft.com/azure/container-apps/workload-profiles-overview
        Assert.Equal(["australiaeast", "swedencentral", "westus3"], location["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
    }

    [Fact]
    public void Every_tracked_resource_carries_the_azd_env_name_tag()
    {
        Assert.Equal("[parameters('environmentName')]", (string)t.Root["variables"]!["tags"]!["azd-env-name"]!);
        var tracked = t.Resources.Where(r => r.Body["location"] is not null).ToList();
        Assert.True(tracked.Count >= 12);
        Assert.All(tracked, r =>
        {
            var tags = r.Body["tags"]?.ToString() ?? "";
            Assert.True(tags.Contains("parameters('tags')") || tags.Contains("variables('tags')"), $"{r.Type} in {r.Module} has tags '{tags}'");
        });
        // Modules receive main's tags unchanged.
        // (the image look-up modules create nothing and take no tags)
        foreach (var d in t.OfType("Microsoft.Resources/deployments").Where(d => d.Properties!["template"]!["parameters"]?["tags"] is not null))
        {
            var tags = d.Properties!["parameters"]?["tags"]?["value"]?.ToString();
            Assert.True(tags is "[variables('tags')]" or "[parameters('tags')]", $"module {d.Body["name"]} gets tags '{tags}'");
        }
    }

    [Fact]
    public void Outputs_give_azd_what_it_needs()
    {
        var outputs = t.Root["outputs"]!.AsObject();
        foreach (var name in new[]
        {
            "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_CONTAINER_REGISTRY_ENDPOINT",
            "AZURE_CONTAINER_APPS_ENVIRONMENT_ID", "AZURE_FUNCTION_APP_NAME", "AZURE_FUNCTION_APP_URI", "AZURE_STORAGE_ACCOUNT_NAME",
            "AZURE_STORAGE_BLOB_ENDPOINT", "AZURE_EVENTGRID_SYSTEM_TOPIC_NAME", "AZURE_FUNCTION_NAME_DATASET_DROP", "SCORER_URI", "TRAINER_JOB_NAME",
        })
        {
            Assert.True(outputs.ContainsKey(name), $"output {name} is missing");
        }

        Assert.Equal(AzureYamlTests.DropFunctionName(), (string)outputs["AZURE_FUNCTION_NAME_DATASET_DROP"]!["value"]!);
    }

    [Fact]
    public void Blob_events_come_from_an_event_grid_system_topic_on_the_storage_account()
    {
        var topic = t.Single("Microsoft.EventGrid/systemTopics").Properties!;
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string)topic["topicType"]!);
        Assert.Equal("[parameters('storageAccountId')]", (string)topic["source"]!);
        var module = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Body["name"] == "blob-events");
        Assert.Equal("[reference('storage').outputs.id.value]", (string)module.Properties!["parameters"]!["storageAccountId"]!["value"]!);
    }

    [Fact]
    public void Each_azure_yaml_service_is_tagged_on_exactly_one_resource()
    {
        var tagged = ServiceTag().Matches(t.Json).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        var services = AzureYamlTests.ServiceNames();
        Assert.Equal(services.Order(), tagged.Order());

        // The Function App's tag is applied to the site only (not the plan).
        Assert.Equal("[union(parameters('tags'), parameters('siteTags'))]", (string)t.Single("Microsoft.Web/sites").Body["tags"]!);
        Assert.Single(t.Resources, r => r.Body["tags"]?.ToString().Contains("siteTags") == true);
        Assert.Contains("createObject('azd-service-name', 'scorer')", (string)t.Single("Microsoft.App/containerApps").Body["tags"]!);
        Assert.Contains("createObject('azd-service-name', 'trainer')", (string)t.Single("Microsoft.App/jobs").Body["tags"]!);
    }

    [Fact]
    public async Task Parameters_file_binds_to_the_template()
    {
        // azd substitutes ${VAR} / ${VAR=default} from its environment; emulate that, then let Bicep type-check it.
        var env = new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "ci",
            ["AZURE_LOCATION"] = "swedencentral",
            ["AZURE_PRINCIPAL_ID"] = "00000000-0000-0000-0000-000000000001",
        };
        var file = JsonNode.Parse(Repo.ReadText("infra", "main.parameters.json"))!["parameters"]!.AsObject();
        var templateParams = t.Root["parameters"]!.AsObject();
        var referenced = new HashSet<string>();
        var lines = new List<string> { $"using '{Path.GetRelativePath(Path.GetTempPath(), Repo.Path("infra", "main.bicep")).Replace('\\', '/')}'" };
        foreach (var (name, node) in file)
        {
            Assert.True(templateParams.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare");
            var raw = (string)node!["value"]!;
            var unset = false;
            var value = AzdVariable().Replace(raw, m =>
            {
                referenced.Add(m.Groups[1].Value);
                unset |= !env.ContainsKey(m.Groups[1].Value) && !m.Groups[2].Success;
                return env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Groups[2].Success ? m.Groups[3].Value : "";
            });
            var type = (string)templateParams[name]!["type"]!;
            if (value.Length == 0 && unset)
            {
                // azd leaves a parameter out when its only variable is unset (bicep_provider.go, "Omit unset parameters").
                Assert.Equal("generate", (string?)templateParams[name]!["metadata"]?["azd"]?["type"]);
                lines.Add($"param {name} = '{Guid.NewGuid():N}'");
                continue;
            }

            lines.Add(type switch
            {
                "int" => $"param {name} = {int.Parse(value)}",
                "bool" => $"param {name} = {bool.Parse(value).ToString().ToLowerInvariant()}",
                _ => $"param {name} = '{value}'",
            });
        }

        Assert.Superset(new HashSet<string> { "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_PRINCIPAL_ID", "AZURE_GPU_PROFILE" }, referenced);
        // A required parameter comes from the file, or azd generates it (metadata azd.type = generate), as azd does before a deployment.
        foreach (var (name, node) in templateParams.Where(p => p.Value!["defaultValue"] is null && !file.ContainsKey(p.Key)))
        {
            Assert.True((string?)node!["metadata"]?["azd"]?["type"] == "generate", $"required parameter {name} is neither in main.parameters.json nor generated by azd");
            lines.Add($"param {name} = '{Guid.NewGuid():N}'");
        }

        Assert.Equal("${AZURE_GPU_PROFILE=Consumption-GPU-NC8as-T4}", (string)file["gpuProfile"]!["value"]!);

        var paramFile = Path.Combine(Path.GetTempPath(), $"main-{Guid.NewGuid():N}.bicepparam");
        await File.WriteAllLinesAsync(paramFile, lines);
        try
        {
            var result = await Repo.RunBicepAsync("build-params", paramFile, "--stdout");
            Assert.True(result.ExitCode == 0 && result.StdErr.Trim().Length == 0, $"bicep build-params:\n{result.Output}\n{string.Join('\n', lines)}");
            var built = JsonNode.Parse(JsonNode.Parse(result.StdOut)!["parametersJson"]!.GetValue<string>())!["parameters"]!;
            Assert.Equal("Consumption-GPU-NC8as-T4", (string)built["gpuProfile"]!["value"]!);
            Assert.Equal("User", (string)built["principalType"]!["value"]!);
            Assert.Equal(0, (int)built["scorerMinReplicas"]!["value"]!);
        }
        finally
        {
            File.Delete(paramFile);
        }
    }

    [GeneratedRegex(@"%(\w+)%")]
    private static partial Regex SettingToken();

    [GeneratedRegex(@"\$\{(\w+)(=([^}]*))?\}")]
    private static partial Regex AzdVariable();

    // Literal object key ("azd-service-name": "x") or createObject('azd-service-name', 'x').
    [GeneratedRegex(@"""azd-service-name"":\s*""([^""]+)""|'azd-service-name', '([^']+)'")]
    private static partial Regex ServiceTag();
}
