using System.Reflection;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Storage;

namespace Serverless.Bench;

/// <summary>
/// core/Storage/StorageClients.cs against Microsoft.Extensions.Azure (AddAzureClients + the Add*ServiceClient(IConfiguration)
/// overloads the storage packages ship), fed the same settings the Functions host reads for AzureWebJobsStorage. Nothing
/// is sent: each client is built and inspected (endpoint, credential type, client id, queue message encoding).
/// </summary>
internal static class AzureClientsBench
{
    private const string Area = "libraries/azure-clients";
    private const string Name = "AzureWebJobsStorage";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";

    private sealed record Scenario(string Title, Dictionary<string, string?> Settings, Action<AzureClientFactoryBuilder, IConfiguration>? Extra = null);

    public static (List<Measurement> Results, string Table) Run()
    {
        var identity = new Dictionary<string, string?>
        {
            [$"{Name}:blobServiceUri"] = "https://acct.blob.core.windows.net",
            [$"{Name}:queueServiceUri"] = "https://acct.queue.core.windows.net",
            [$"{Name}:tableServiceUri"] = "https://acct.table.core.windows.net",
        };
        Scenario[] scenarios =
        [
            new("Azurite connection string in `AzureWebJobsStorage`", new() { [Name] = "UseDevelopmentStorage=true" }),
            new("connection string under `ConnectionStrings:AzureWebJobsStorage`", new() { [$"ConnectionStrings:{Name}"] = "UseDevelopmentStorage=true" }),
            new("identity: `__blobServiceUri`/`__queueServiceUri`/`__tableServiceUri` (system-assigned)", identity),
            new("identity: service URIs + `__clientId` (user-assigned)", new(identity) { [$"{Name}:clientId"] = ClientId }),
            new("identity: service URIs + `__credential=managedidentity` + `__clientId` (the Functions docs' form)",
                new(identity) { [$"{Name}:credential"] = "managedidentity", [$"{Name}:clientId"] = ClientId }),
            new("identity: one `serviceUri` (M.E.Azure's own key)", new() { [$"{Name}:serviceUri"] = "https://acct.blob.core.windows.net" }),
            new("identity in M.E.Azure's keys: `serviceUri` + table `endpoint` + `credential=managedidentity` + `clientId`",
                new() { [$"{Name}:serviceUri"] = "https://acct.blob.core.windows.net", [$"{Name}:endpoint"] = "https://acct.table.core.windows.net",
                    [$"{Name}:credential"] = "managedidentity", [$"{Name}:clientId"] = ClientId }),
            new("nothing configured", new()),
            new("retries from configuration (`AzureDefaults:Retry:MaxRetries=7`)", new() { [Name] = "UseDevelopmentStorage=true", ["AzureDefaults:Retry:MaxRetries"] = "7" },
                (b, c) => b.ConfigureDefaults(c.GetSection("AzureDefaults"))),
        ];

        var sb = new StringBuilder();
        sb.AppendLine("| settings | client | ours (StorageClients) | Microsoft.Extensions.Azure 1.14.1 |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var s in scenarios)
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(s.Settings).Build();
            int? retries = null;
            var services = new ServiceCollection();
            services.AddAzureClients(b =>
            {
                s.Extra?.Invoke(b, config);
                var section = config.GetSection(Name);
                b.AddBlobServiceClient(section).ConfigureOptions(o => retries = o.Retry.MaxRetries);
                b.AddQueueServiceClient(section).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                b.AddTableServiceClient(section);
            });
            using var provider = services.BuildServiceProvider();
            var rows = new (string Client, Func<object> Ours, Func<object> Theirs)[]
            {
                ("blob", () => StorageClients.Blobs(config, Name), () => provider.GetRequiredService<BlobServiceClient>()),
                ("queue", () => StorageClients.Queues(config, Name), () => provider.GetRequiredService<QueueServiceClient>()),
                ("table", () => StorageClients.Tables(config, Name), () => provider.GetRequiredService<TableServiceClient>()),
            };
            foreach (var (client, ours, theirs) in rows)
            {
                var theirsCell = Describe(theirs);
                if (client == "blob" && retries is { } r) theirsCell += $"; MaxRetries {r}";
                sb.AppendLine($"| {s.Title} | {client} | {Describe(ours)} | {theirsCell} |");
            }
        }

        Console.WriteLine(sb);
        var results = new List<Measurement>
        {
            new(Area, "StorageClients.cs", File.ReadAllLines(Path.Combine(RepositoryRoot(), "core", "Storage", "StorageClients.cs")).Length, " lines"),
        };
        return (results, sb.ToString());
    }

    private static string RepositoryRoot() => Serverless.Local.Hosting.RepositoryRoot.Find() ?? ".";

    private static string Describe(Func<object> create)
    {
        object client;
        try
        {
            client = create();
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            return $"throws {inner.GetType().Name}: {Cell(inner.Message)}";
        }

        var uri = (Uri)client.GetType().GetProperty("Uri")!.GetValue(client)!;
        var parts = new List<string> { uri.GetLeftPart(UriPartial.Path).TrimEnd('/') };
        var credential = Find<TokenCredential>(client);
        parts.Add(credential is null ? "shared key" : credential.GetType().Name + (Contains(credential, ClientId) ? " (clientId)" : string.Empty));
        if (client is QueueServiceClient)
        {
            parts.Add("encoding " + (FindValue<QueueMessageEncoding>(client)?.ToString() ?? "?"));
        }

        return string.Join("; ", parts);
    }

    private static string Cell(string s)
    {
        var first = s.Split('\n')[0].Replace("|", "\\|", StringComparison.Ordinal).Trim();
        return first.Length > 140 ? first[..140] + "…" : first;
    }

    // Breadth-first over instance fields: the SDK keeps credential and encoding in internal configuration objects.
    private static T? Find<T>(object root) where T : class => Walk(root).OfType<T>().FirstOrDefault();

    private static T? FindValue<T>(object root) where T : struct => Walk(root).OfType<T>().Cast<T?>().FirstOrDefault();

    private static bool Contains(object root, string text) => Walk(root).OfType<string>().Any(s => s.Contains(text, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<object> Walk(object root, int maxDepth = 6)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance) { root };
        var level = new List<object> { root };
        for (var depth = 0; depth < maxDepth && level.Count > 0; depth++)
        {
            var next = new List<object>();
            foreach (var o in level)
            {
                for (var t = o.GetType(); t is not null && t != typeof(object); t = t.BaseType)
                {
                    foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                    {
                        object? v;
                        try
                        {
                            v = f.GetValue(o);
                        }
                        catch (Exception)
                        {
                            continue;
                        }

                        if (v is null || v is Pointer) continue;
                        yield return v;
                        if (v is string || v.GetType().IsPrimitive || v.GetType().IsEnum || v is Delegate || v is Type || v is Assembly) continue;
                        if (!v.GetType().IsValueType && !seen.Add(v)) continue;
                        if (v is System.Collections.IEnumerable e and not string)
                        {
                            foreach (var item in e.Cast<object?>().Take(64))
                            {
                                if (item is not null && (item.GetType().IsValueType || seen.Add(item))) next.Add(item);
                            }
                        }

                        next.Add(v);
                    }
                }
            }

            level = next;
        }
    }
}
