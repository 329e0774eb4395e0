using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Runs;

/// <summary>
/// A run's log: JSON lines in one append blob (<see cref="BlobLayout.RunLog"/>). Each append is a block of whole lines,
/// so writers in several processes (activities, the trainer job) never split each other's lines; the size cap is a
/// condition storage checks on every append, so it holds for all writers together. A reader pages with a byte-offset
/// cursor (<see cref="RunLogPage.Next"/>).
/// </summary>
public sealed class RunLog(PlatformStorage storage, IOptions<RunLogOptions> options, TimeProvider time)
{
    /// <summary>One read returns the whole lines within this many bytes after the cursor.</summary>
    public const int ReadWindowBytes = 256 * 1024;

    /// <summary>Room past <see cref="RunLogOptions.MaxBytesPerRun"/> for the line saying the cap was reached.</summary>
    private const int CapLineReserve = 512;

    /// <summary>One append carries at most this much (and never more than the client's <c>AppendBlobMaxAppendBlockBytes</c>).</summary>
    private const int MaxBlockBytes = 1024 * 1024;

    private readonly RunLogOptions _options = options.Value;

    /// <summary>Runs whose log this process found full: it appends to them no more (and so writes the cap line once).</summary>
    private readonly ConcurrentDictionary<(string Model, string RunId), byte> _full = new();

    /// <summary>Appends the lines (cut to <see cref="RunLogOptions.MaxLineChars"/>); false once the run's log is full.</summary>
    public async Task<bool> AppendAsync(string model, string runId, IReadOnlyList<RunLogLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return true;
        if (_full.ContainsKey((model, runId))) return false;
        var blob = Blob(model, runId);
        var maxBlock = Math.Min(MaxBlockBytes, blob.AppendBlobMaxAppendBlockBytes);
        var block = new ArrayBufferWriter<byte>();
        foreach (var line in lines)
        {
            var encoded = Encode(Cut(line));
            if (block.WrittenCount > 0 && block.WrittenCount + encoded.Length > maxBlock)
            {
                if (!await AppendBlockAsync(model, runId, blob, block.WrittenMemory, ct).ConfigureAwait(false)) return false;
                block.Clear();
            }

            block.Write(encoded);
        }

        return await AppendBlockAsync(model, runId, blob, block.WrittenMemory, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> lines after byte offset <paramref name="after"/>; null when the cursor is not the
    /// start of a line of this log (a cursor only ever comes from <see cref="RunLogPage.Next"/>, or is 0).
    /// </summary>
    public async Task<RunLogPage?> ReadAsync(string model, string runId, long after, int limit, CancellationToken ct)
    {
        // From the byte before the cursor: a cursor is valid only right after a line's newline.
        var start = Math.Max(0, after - 1);
        BlobDownloadResult read;
        try
        {
            read = (await Blob(model, runId).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(start, ReadWindowBytes + 1) }, ct).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 416)
        {
            // No log yet, or (416) a range past its end: an empty log just created by its first writer, or a cursor
            // beyond what was ever written.
            return after == 0 ? new RunLogPage([], 0, false) : null;
        }

        var bytes = read.Content.ToMemory();
        if (after > 0)
        {
            if (bytes.Length == 0 || bytes.Span[0] != (byte)'\n') return null;
            bytes = bytes[1..];
        }

        var total = TotalLength(read.Details.ContentRange) ?? start + read.Content.ToMemory().Length;
        var lines = new List<RunLogLine>();
        var next = after;
        while (lines.Count < limit && bytes.Span.IndexOf((byte)'\n') is var end and >= 0)
        {
            lines.Add(Decode(bytes.Span[..end]));
            next += end + 1;
            bytes = bytes[(end + 1)..];
        }

        return new RunLogPage(lines, next, next < total);
    }

    private AppendBlobClient Blob(string model, string runId) => storage.Runs.GetAppendBlobClient(BlobLayout.RunLog(model, runId));

    /// <summary>False when the run's log is full (after writing the line that says so, once per process).</summary>
    private async Task<bool> AppendBlockAsync(string model, string runId, AppendBlobClient blob, ReadOnlyMemory<byte> block, CancellationToken ct)
    {
        if (block.IsEmpty) return true;
        if (await TryAppendAsync(blob, block, _options.MaxBytesPerRun, ct).ConfigureAwait(false)) return true;
        if (!_full.TryAdd((model, runId), 0)) return false;
        var cap = Encode(new RunLogLine(time.GetUtcNow(), RunLogLevels.Warning, "", $"The run log reached its cap of {_options.MaxBytesPerRun} bytes ({RunLogOptions.Section}:{nameof(RunLogOptions.MaxBytesPerRun)}); later lines are not kept."));
        await TryAppendAsync(blob, cap, _options.MaxBytesPerRun + CapLineReserve, ct).ConfigureAwait(false);
        return false;
    }

    private static async Task<bool> TryAppendAsync(AppendBlobClient blob, ReadOnlyMemory<byte> block, long maxSize, CancellationToken ct)
    {
        var conditions = new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfMaxSizeLessThanOrEqual = maxSize } };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new MemoryStream(block.ToArray(), writable: false);
                await blob.AppendBlockAsync(stream, conditions, ct).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                // The run's first lines: create the blob (another writer may just have), then append again.
                await blob.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // MaxBlobSizeConditionNotMet: the append would take the blob past maxSize
                // (learn.microsoft.com/javascript/api/@azure/storage-blob/appendpositionaccessconditions).
                return false;
            }
        }
    }

    private RunLogLine Cut(RunLogLine line) =>
        line.Message.Length <= _options.MaxLineChars
            ? line
            : line with { Message = $"{line.Message[.._options.MaxLineChars]}… ({line.Message.Length - _options.MaxLineChars} more characters cut)" };

    private static byte[] Encode(RunLogLine line)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(line, PlatformJson.Options);
        var encoded = new byte[json.Length + 1];
        json.CopyTo(encoded, 0);
        encoded[^1] = (byte)'\n';
        return encoded;
    }

    /// <summary>A line that does not parse (written by something else) is shown as such rather than skipped.</summary>
    private static RunLogLine Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            if (JsonSerializer.Deserialize<RunLogLine>(json, PlatformJson.Options) is { Level: not null, Message: not null } line) return line;
        }
        catch (JsonException)
        {
        }

        return new RunLogLine(DateTimeOffset.MinValue, RunLogLevels.Warning, "", $"(an unreadable log line of {json.Length} bytes)");
    }

    /// <summary>The blob's length from a <c>Content-Range: bytes a-b/total</c> header.</summary>
    private static long? TotalLength(string? contentRange) =>
        contentRange?.LastIndexOf('/') is int slash and >= 0 && long.TryParse(contentRange.AsSpan(slash + 1), out var total) ? total : null;
}
