using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;

namespace Serverless.Cli.Api;

/// <summary>The platform's public HTTP API, as JSON nodes: the tool shows what the server answers rather than re-modelling it.</summary>
public sealed class PlatformClient : IDisposable
{
    /// <summary>The local host's and the GPU scorer's key header (docs/auth.md).</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>
    /// Where Azure Functions expects a function or host key in a header
    /// (learn.microsoft.com/azure/developer/python/walkthrough-tutorial-authentication-07): sent too, so one key works for both hosts.
    /// </summary>
    public const string FunctionsKeyHeader = "x-functions-key";

    private readonly HttpClient _http;
    private readonly ApiConnection _connection;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private AccessToken _token;

    public PlatformClient(ApiConnection connection, TimeSpan timeout, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        var baseUri = connection.Endpoint.AbsoluteUri.EndsWith('/') ? connection.Endpoint : new Uri(connection.Endpoint.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = baseUri, Timeout = timeout };
        _credential = connection.EntraScope is null ? null : new DefaultAzureCredential();
    }

    public Uri Endpoint => _connection.Endpoint;

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode> PostJsonAsync(string path, JsonNode? body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : Json(body), ct);

    public Task<JsonNode> PutJsonAsync(string path, string json, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, path, new StringContent(json, Encoding.UTF8, "application/json"), ct);

    public Task<JsonNode> PostAsync(string path, HttpContent content, CancellationToken ct) => SendAsync(HttpMethod.Post, path, content, ct);

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, "api/" + path.TrimStart('/')) { Content = content };
        await AuthenticateAsync(request, ct).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiProblemException(0, "Unreachable", $"No answer from {_connection.Endpoint}: {e.Message}", null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ApiProblemException(0, "Timed out", $"No answer from {_connection.Endpoint} within {_http.Timeout.TotalSeconds:0.#} s (--timeout).", null);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw Problem(response.StatusCode, text);
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        }
    }

    private async Task AuthenticateAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (_credential is not null)
        {
            // A token is reused until five minutes before it expires.
            if (_token.Token is null || _token.ExpiresOn < _time.GetUtcNow().AddMinutes(5))
            {
                try
                {
                    _token = await _credential.GetTokenAsync(new TokenRequestContext([_connection.EntraScope!]), ct).ConfigureAwait(false);
                }
                catch (AuthenticationFailedException e)
                {
                    // CredentialUnavailableException (nothing signed in) derives from it: a local problem, not a crash.
                    throw EntraTokenProblem.NoToken(_connection.EntraScope!, e);
                }
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Token);
        }
        else if (_connection.Key is { } key)
        {
            request.Headers.Add(ApiKeyHeader, key);
            if (!ApiConnection.IsLoopback(_connection.Endpoint)) request.Headers.Add(FunctionsKeyHeader, key);
        }
    }

    private ApiProblemException Problem(HttpStatusCode status, string text)
    {
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var title = problem?["title"]?.GetValue<string>() ?? status.ToString();
        var detail = problem?["detail"]?.GetValue<string>() ?? (problem is null && text.Length > 0 ? text[..Math.Min(text.Length, 500)] : null);
        if (status == HttpStatusCode.Unauthorized && _connection.Key is null && _credential is null)
        {
            detail = (detail is null ? "" : detail + " ") + $"No key was sent: pass --key, set {ApiConnection.KeyVariable}, or --entra <scope>.";
        }
        else if (_credential is not null && EntraTokenProblem.Hint(status, _connection.EntraScope!) is { } hint)
        {
            detail = (detail is null ? "" : detail + " ") + hint;
        }

        return new ApiProblemException(status, title, detail, problem);
    }

    public void Dispose() => _http.Dispose();
}
