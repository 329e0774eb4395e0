using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Durable.Api;

/// <summary>Reads request bodies with a byte cap, so an oversized body is a 413, not an out-of-memory.</summary>
internal static class BodyReader
{
    public sealed record Body(byte[]? Bytes, bool TooLarge);

    public static async Task<Body> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return new Body(null, true);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return new Body(null, true);
            }

            buffer.Write(chunk, 0, read);
        }

        return new Body(buffer.ToArray(), false);
    }

    /// <summary>Parses JSON, returning the parser's message (with position) on malformed or too-deep input.</summary>
    public static JsonDocument? TryParseJson(byte[] bytes, out string? error)
    {
        try
        {
            error = null;
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }
}
