using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Serverless.App.Http;

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

        // Known length (the usual case): read straight into an exact buffer, no copies.
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            var filled = await request.Body.ReadAtLeastAsync(exact, exact.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);

            // A body cut short is handed on as it is: its parser reports it as malformed.
            return new Body(filled == exact.Length ? exact : exact[..filled], false);
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return new Body(null, true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new Body(buffer.ToArray(), false);
    }
}
