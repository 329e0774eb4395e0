using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.App.WebConsole;

namespace Serverless.Infra.Tests;

/// <summary>The template evaluated (bicep snapshot) without and with the Entra ID app registration parameters.</summary>
public sealed class EntraIdSnapshots : IAsyncLifetime
{
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string OtherTenant = "99999999-8888-7777-6666-555555555555";

    public TemplateSnapshot KeysOnly { get; private set; } = null!;
    public TemplateSnapshot Entra { get; private set; } = null!;
    public TemplateSnapshot EntraOtherTenant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var keysOnly = TemplateSnapshot.CreateAsync(new Dictionary<string, string>());
        var entra = TemplateSnapshot.CreateAsync(new Dictionary<string, string> { ["entraApiClientId"] = $"'{ClientId}'" });
        var other = TemplateSnapshot.CreateAsync(new Dictionary<string, string> { ["entraApiClientId"] = $"'{ClientId}'", ["entraTenantId"] = $"'{OtherTenant}'" });
        KeysOnly = await keysOnly;
        Entra = await entra;
        EntraOtherTenant = await other;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Item 8 of issue #12 in the template: App Service authentication on the Function App and the scorer's token settings,
/// both only when the app registration is given; the key fallbacks otherwise. Property names and enum values are
/// checked against the documented authsettingsV2 schema (Reference/authsettingsv2.json), not against this template.
/// </summary>
public sealed partial class EntraIdAuthTests(EntraIdSnapshots s) : IClassFixture<EntraIdSnapshots>
{
    private static readonly JsonNode Reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "authsettingsv2.json")))!;

    [Fact]
    public void Without_an_app_registration_there_is_no_easy_auth_and_the_scorer_keeps_only_its_key()
    {
        Assert.Empty(AuthSettings(s.KeysOnly));
        var env = ScorerEnv(s.KeysOnly);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Scorer__EntraId__", StringComparison.Ordinal));
        Assert.Contains("Scorer__ApiKey", env.Keys);

        // The Function App itself is there: only the authentication block is left out.
        Assert.Single(s.KeysOnly.OfType("Microsoft.Web/sites"));
    }

    [Fact]
    public void With_an_app_registration_the_function_app_answers_401_without_an_entra_token()
    {
        var auth = Assert.Single(AuthSettings(s.Entra))["properties"]!;

        Assert.True((bool)auth["platform"]!["enabled"]!);
        var global = auth["globalValidation"]!;
        Assert.True((bool)global["requireAuthentication"]!);
        Assert.Equal("Return401", (string)global["unauthenticatedClientAction"]!);

        var aad = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool)aad["enabled"]!);
        Assert.Equal(EntraIdSnapshots.ClientId, (string)aad["registration"]!["clientId"]!);
        Assert.Null(aad["registration"]!["clientSecretSettingName"]); // validates bearer tokens only: no secret to keep
        Assert.Equal(
            [EntraIdSnapshots.ClientId, $"api://{EntraIdSnapshots.ClientId}"],
            aad["validation"]!["allowedAudiences"]!.AsArray().Select(a => (string)a!).Order(StringComparer.Ordinal));
        AssertIssuer(TemplateSnapshot.TenantId, (string)aad["registration"]!["openIdIssuer"]!);
    }

    [Fact]
    public void Easy_auth_leaves_out_exactly_the_anonymous_functions_the_console_shell_and_the_blob_event_webhook()
    {
        var excluded = Assert.Single(AuthSettings(s.Entra))["properties"]!["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => (string)p!).ToHashSet();

        // Every AuthorizationLevel.Anonymous HTTP function (routes under host.json's routePrefix); the console's
        // shell, i.e. its folder and every file its build embeds; and nothing else but the blobs extension's Event
        // Grid webhook, which Event Grid calls without a token (its blobs_extension key is in the URL the post-deploy
        // hook subscribes: infra/hooks/subscribe-blob-events.sh).
        var prefix = (string)JsonNode.Parse(Repo.ReadText("host.json"), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!["extensions"]!["http"]!["routePrefix"]!;
        var anonymous = AnonymousRoutes().Select(r => $"/{prefix}/{r}").ToHashSet();
        Assert.NotEmpty(anonymous);
        Assert.Contains("/runtime/webhooks/blobs", Repo.ReadText("infra", "hooks", "subscribe-blob-events.sh"));
        Assert.Equal(
            anonymous.Append("/runtime/webhooks/blobs").Concat(ConsoleShell(prefix)).Order(StringComparer.Ordinal),
            excluded.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_console_shell_is_a_few_fixed_paths_the_same_in_every_build()
    {
        // Exact paths (the documented excludedPaths are plain paths): the build must not name files by content hash.
        Assert.True(ConsoleAssets.IsBuilt, "The console was not built (npm ci, then build Serverless.App).");
        Assert.Equal(["assets/console.css", "assets/console.js", ConsoleAssets.IndexFile], ConsoleAssets.Paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void With_an_app_registration_the_console_offers_easy_auths_sign_in_and_without_one_its_key_form()
    {
        Assert.Equal(nameof(ConsoleSignIn.Entra), (string)FunctionAppSettings(s.Entra)[$"{ConsoleOptions.Section}__{nameof(ConsoleOptions.SignIn)}"]!);
        Assert.Equal(nameof(ConsoleSignIn.Key), (string)FunctionAppSettings(s.KeysOnly)[$"{ConsoleOptions.Section}__{nameof(ConsoleOptions.SignIn)}"]!);
        Assert.Equal(ConsoleSignIn.Key, new ConsoleOptions().SignIn);

        // Signing in without a client secret is the implicit (ID token) flow: still no secret setting, and the issuer
        // is the registration's tenant, which /.auth/login/aad redirects the browser to.
        var aad = Assert.Single(AuthSettings(s.Entra))["properties"]!["identityProviders"]!["azureActiveDirectory"]!;
        Assert.Null(aad["registration"]!["clientSecretSettingName"]);
        Assert.Equal("Return401", (string)Assert.Single(AuthSettings(s.Entra))["properties"]!["globalValidation"]!["unauthenticatedClientAction"]!);
    }

    [Fact]
    public void Authsettings_use_only_documented_property_names_types_and_values()
    {
        var auth = Assert.Single(AuthSettings(s.Entra));
        Assert.Equal("authsettingsV2", ((string)auth["name"]!).Split('/')[^1]);
        CheckAgainstReference(auth["properties"]!, Reference["properties"]!, "properties");

        foreach (var (path, allowed) in Reference["enums"]!.AsObject())
        {
            var value = path.Split('.').Aggregate<string, JsonNode?>(auth["properties"], (node, key) => node?[key]);
            Assert.NotNull(value);
            Assert.Contains((string)value!, allowed!.AsArray().Select(v => (string)v!));
        }
    }

    [Fact]
    public void With_an_app_registration_the_scorer_validates_tokens_for_the_same_api_and_issuer()
    {
        var env = ScorerEnv(s.Entra);
        // v2.0 access tokens carry the API's client id as aud (learn.microsoft.com/entra/identity-platform/access-tokens).
        Assert.Equal(EntraIdSnapshots.ClientId, env["Scorer__EntraId__Audience"]);
        AssertIssuer(TemplateSnapshot.TenantId, env["Scorer__EntraId__Authority"]);
        var easyAuthIssuer = (string)Assert.Single(AuthSettings(s.Entra))["properties"]!["identityProviders"]!["azureActiveDirectory"]!["registration"]!["openIdIssuer"]!;
        Assert.Equal(easyAuthIssuer, env["Scorer__EntraId__Authority"]);
        Assert.Contains("Scorer__ApiKey", env.Keys); // the documented fallback stays
    }

    [Fact]
    public void A_registration_in_another_tenant_sets_that_tenants_issuer()
    {
        var aad = Assert.Single(AuthSettings(s.EntraOtherTenant))["properties"]!["identityProviders"]!["azureActiveDirectory"]!;
        AssertIssuer(EntraIdSnapshots.OtherTenant, (string)aad["registration"]!["openIdIssuer"]!);
        AssertIssuer(EntraIdSnapshots.OtherTenant, ScorerEnv(s.EntraOtherTenant)["Scorer__EntraId__Authority"]);
    }

    [Fact]
    public void Azd_maps_the_app_registration_from_environment_variables_that_default_to_empty()
    {
        var file = JsonNode.Parse(Repo.ReadText("infra", "main.parameters.json"))!["parameters"]!;
        Assert.Equal("${ENTRA_API_CLIENT_ID=}", (string)file["entraApiClientId"]!["value"]!);
        Assert.Equal("${ENTRA_TENANT_ID=}", (string)file["entraTenantId"]!["value"]!);
        var readme = Repo.ReadText("docs", "auth.md");
        Assert.Contains("ENTRA_API_CLIENT_ID", readme);
        Assert.Contains("ENTRA_TENANT_ID", readme);
        var deploy = Repo.ReadText(".github", "workflows", "deploy.yml");
        Assert.Contains("ENTRA_API_CLIENT_ID: ${{ vars.ENTRA_API_CLIENT_ID }}", deploy);
        Assert.Contains("ENTRA_TENANT_ID: ${{ vars.ENTRA_TENANT_ID }}", deploy);
    }

    private static List<JsonObject> AuthSettings(TemplateSnapshot snapshot) =>
        snapshot.OfType("Microsoft.Web/sites/config").Where(r => ((string)r["name"]!).EndsWith("/authsettingsV2", StringComparison.OrdinalIgnoreCase)).ToList();

    private static IEnumerable<string> ConsoleShell(string prefix) =>
        new[] { $"/{prefix}/console", $"/{prefix}/console/" }.Concat(ConsoleAssets.Paths.Select(p => $"/{prefix}/console/{p}"));

    private static JsonObject FunctionAppSettings(TemplateSnapshot snapshot) =>
        snapshot.OfType("Microsoft.Web/sites/config").Single(c => ((string)c["name"]!).EndsWith("/appsettings", StringComparison.Ordinal))["properties"]!.AsObject();

    private static Dictionary<string, string> ScorerEnv(TemplateSnapshot snapshot) =>
        Assert.Single(snapshot.OfType("Microsoft.App/containerApps"))["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"] ?? $"secretRef:{(string?)e!["secretRef"]}");

    /// <summary>The v2.0 issuer of <paramref name="tenant"/> on the cloud's login endpoint (environment() stays unevaluated offline).</summary>
    private static void AssertIssuer(string tenant, string issuer) =>
        Assert.Equal($"[format('{{0}}{{1}}/v2.0', environment().authentication.loginEndpoint, '{tenant}')]", issuer);

    private static void CheckAgainstReference(JsonNode actual, JsonNode reference, string path)
    {
        switch (reference)
        {
            case JsonObject schema:
                foreach (var (key, value) in actual.AsObject())
                {
                    Assert.True(schema.ContainsKey(key), $"{path}.{key} is not a documented authsettingsV2 property.");
                    CheckAgainstReference(value!, schema[key]!, $"{path}.{key}");
                }

                break;
            case JsonArray items:
                foreach (var item in actual.AsArray())
                {
                    CheckAgainstReference(item!, items[0]!, $"{path}[]");
                }

                break;
            default:
                var expected = (string)reference!;
                var kind = actual.GetValueKind();
                Assert.True(
                    expected == "bool" ? kind is JsonValueKind.True or JsonValueKind.False : kind == JsonValueKind.String,
                    $"{path} is {kind}, documented as {expected}.");
                break;
        }
    }

    /// <summary>Routes of the HTTP functions declared AuthorizationLevel.Anonymous (a literal or a const of app/Http).</summary>
    private static IEnumerable<string> AnonymousRoutes()
    {
        var constants = Directory.EnumerateFiles(Repo.Path("app", "Http"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => RouteConstant().Matches(File.ReadAllText(f)))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (var file in Directory.EnumerateFiles(Repo.Path("functions"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            foreach (Match m in AnonymousTrigger().Matches(File.ReadAllText(file)))
            {
                var route = m.Groups[1].Value;
                // The console's catch-all route: its files are listed one by one (ConsoleShell).
                if (route == "ConsoleEndpoints.FunctionsRoute") continue;
                yield return route.StartsWith('"') ? route.Trim('"') : constants[route.Split('.')[^1]];
            }
        }
    }

    [GeneratedRegex(@"HttpTrigger\(AuthorizationLevel\.Anonymous[^)]*Route = (""[^""]*""|[\w.]+)")]
    private static partial Regex AnonymousTrigger();

    [GeneratedRegex(@"const string (\w+Route) = ""([^""]*)""")]
    private static partial Regex RouteConstant();
}
