using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.App.Releases;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Registry.Events;
using Serverless.Core.Releases;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A release's registry changes reach both local subscribers, the <c>registry-events</c> queue and a webhook receiver on
/// Kestrel loopback, as CloudEvents in the registry's order: the versions registered, the champion set, the release's
/// start and steps, and its promotion or rollback.
/// </summary>
public sealed class ReleaseEventsEndToEndTests
{
    private static readonly string R = RegistryEventTypes.Prefix;

    [Fact(Timeout = 240_000)]
    public async Task Queue_and_webhook_subscribers_receive_registration_release_steps_and_the_outcome_in_sequence_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var host = new LocalHostFixture
        {
            ConnectionString = azurite.ConnectionString,
            Configure = o => o.BackgroundServices = false,
            ConfigureServices = s => s.AddSingleton<IRegistryEventPublisher>(new WebhookRegistryEventPublisher(receiver.Http, receiver.Endpoint)),
        };
        await host.InitializeAsync();
        try
        {
            // No guardrails: both steps hold. minRequests with no traffic at all: the first step breaches.
            var promoted = await ReleaseAsync(host, "evtpromote", new ReleaseGuardrails(), ReleaseStatus.Promoted);
            var rolledBack = await ReleaseAsync(host, "evtrollback", new ReleaseGuardrails { MinRequests = 1 }, ReleaseStatus.RolledBack);

            // The outcome's event follows the record's last write: wait until both subscribers have both outcomes.
            var queue = host.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(new RegistryEventOptions().Queue);
            var queued = new List<JsonObject>();
            var webhook = new List<JsonObject>();
            await Eventually.TrueAsync(async () =>
            {
                foreach (var m in (await queue.ReceiveMessagesAsync(32)).Value)
                {
                    queued.Add(JsonNode.Parse(m.Body.ToString())!.AsObject());
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                }

                webhook = [.. receiver.Received.Select(b => JsonNode.Parse(b)!.AsObject())];
                return new[] { queued, webhook }.All(events =>
                    Of(events, promoted.Model).Any(e => (string)e["type"]! == R + "release.promoted")
                    && Of(events, rolledBack.Model).Any(e => (string)e["type"]! == R + "release.rolledback"));
            }, TimeSpan.FromSeconds(30), "both subscribers to receive both releases' outcomes");

            string[] promotion =
            [
                R + "version.registered", R + "version.registered", R + "alias.moved",
                R + "release.started", R + "release.step", R + "release.step", R + "alias.moved", R + "release.promoted",
            ];
            string[] rollback =
            [
                R + "version.registered", R + "version.registered", R + "alias.moved",
                R + "release.started", R + "release.step", R + "release.rolledback",
            ];
            foreach (var (subscriber, received) in new[] { ("queue", queued), ("webhook", webhook) })
            {
                var one = Of(received, promoted.Model);
                Assert.True(promotion.SequenceEqual(one.Select(e => (string)e["type"]!)), $"{subscriber}: {string.Join(", ", one.Select(e => e["type"]))}");
                AssertInSequence(one);
                Assert.Equal([50, 100], one.Where(e => (string)e["type"]! == R + "release.step").Select(e => (int)e["data"]!["percent"]!));
                Assert.Equal($"models/{promoted.Model}/releases/{promoted.Id}/steps/2", (string)one[5]["subject"]!);
                Assert.Equal((2, 1), ((int)one[6]["data"]!["version"]!, (int)one[6]["data"]!["previousVersion"]!));
                Assert.Equal(promoted.Id, (string)one[^1]["data"]!["release"]!);

                var other = Of(received, rolledBack.Model);
                Assert.True(rollback.SequenceEqual(other.Select(e => (string)e["type"]!)), $"{subscriber}: {string.Join(", ", other.Select(e => e["type"]))}");
                AssertInSequence(other);
                Assert.Equal(rolledBack.Reason, (string)other[^1]["data"]!["reason"]!);
                Assert.StartsWith("guardrails breached at 50 %", rolledBack.Reason, StringComparison.Ordinal);
            }

            Assert.All(receiver.ContentTypes, t => Assert.StartsWith(CloudEventJson.MediaType, t, StringComparison.Ordinal));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A model with v1 champion and v2 released under <paramref name="guardrails"/>, canary 50 → 100 %; the finished record.</summary>
    private static async Task<ReleaseRecord> ReleaseAsync(LocalHostFixture host, string prefix, ReleaseGuardrails guardrails, string expected)
    {
        var model = Azurite.UniqueModel(prefix);
        var release = new ReleaseSpec { Mode = ReleaseMode.Canary, Steps = [50, 100], BakeTime = TimeSpan.FromSeconds(2), Guardrails = guardrails };
        await host.PutSpecAsync(model, JsonSerializer.Serialize(TinyModel.Spec with { Release = release }, PlatformJson.Options));
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        await TinyModel.ChampionAndCandidateAsync(registry, model);

        var started = await host.Http.PostAsync($"/api/models/{model}/versions/2/release", null);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<ReleaseStarted>(PlatformJson.Options))!.ReleaseId;
        var done = await Eventually.UntilAsync(
            async () => await host.Http.GetAsync($"/api/models/{model}/releases/{id}") is { IsSuccessStatusCode: true } r
                && await r.Content.ReadFromJsonAsync<ReleaseRecord>(PlatformJson.Options) is { } record && ReleaseStatus.IsFinished(record.Status) ? record : null,
            TimeSpan.FromSeconds(120),
            $"release {id} to finish",
            TimeSpan.FromMilliseconds(250));
        Assert.Equal(expected, done.Status);
        return done;
    }

    /// <summary>One model's events, a redelivered activity's repeat (same type and subject) counted once, as subscribers are told to.</summary>
    private static List<JsonObject> Of(List<JsonObject> events, string model) =>
        events.Where(e => (string)e["data"]!["model"]! == model)
            .DistinctBy(e => ((string)e["type"]!, (string)e["subject"]!, (int?)e["data"]!["version"]))
            .ToList();

    private static void AssertInSequence(List<JsonObject> events)
    {
        var sequence = events.Select(e => (string)e["sequence"]!).ToList();
        Assert.Equal(sequence.Order(StringComparer.Ordinal), sequence);
        Assert.Equal(sequence.Count, sequence.Distinct().Count());
        Assert.Equal(1, long.Parse(sequence[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A webhook subscriber: Kestrel on a free loopback port, keeping each POSTed body in arrival order.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private WebhookReceiver(WebApplication app, Uri endpoint)
        {
            _app = app;
            Endpoint = endpoint;
        }

        public Uri Endpoint { get; }

        public HttpClient Http { get; } = new();

        public SynchronizedCollection<string> Received { get; } = new();

        public SynchronizedCollection<string> ContentTypes { get; } = new();

        public static async Task<WebhookReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            WebhookReceiver? self = null;
            app.MapPost("/events", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                self!.ContentTypes.Add(request.ContentType ?? "");
                self.Received.Add(await reader.ReadToEndAsync());
                return Results.NoContent();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            self = new WebhookReceiver(app, new Uri(new Uri(address), "/events"));
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.DisposeAsync();
        }
    }
}
