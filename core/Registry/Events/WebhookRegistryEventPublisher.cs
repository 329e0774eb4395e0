using System.Net.Http.Headers;

namespace Serverless.Core.Registry.Events;

/// <summary>POSTs each event to one endpoint in CloudEvents structured mode; any non-2xx answer is a failed delivery.</summary>
public sealed class WebhookRegistryEventPublisher(HttpClient http, Uri endpoint) : IRegistryEventPublisher
{
    public async Task PublishAsync(RegistryEvent registryEvent, CancellationToken ct)
    {
        using var content = new StringContent(CloudEventJson.Serialize(registryEvent));
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventJson.MediaType) { CharSet = "utf-8" };
        using var response = await http.PostAsync(endpoint, content, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Webhook {endpoint} answered {(int)response.StatusCode} to registry event {registryEvent.Id}.", null, response.StatusCode);
        }
    }
}
