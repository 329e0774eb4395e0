using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.App.Intake;
using Serverless.Core.Storage;

namespace Serverless.Local.Demo;

/// <summary>
/// Which run a drop led to. The same bytes can have several attempts (<c>{model}-{sha}-a{n}</c>: a changed spec or an
/// earlier failure), so the run id cannot be computed from the bytes alone: the claim that names this upload's ETag is
/// the run it started; a drop that started nothing was a duplicate of the newest attempt.
/// </summary>
public static class DropRun
{
    public static async Task<string> FindAsync(PlatformStorage storage, string model, string fileName, string sha256, ETag upload, TimeSpan timeout, CancellationToken ct)
    {
        var incoming = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, fileName));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            // Checked before listing: intake claims before it deletes, so once the drop is gone its claim is listed.
            var handled = !await incoming.ExistsAsync(ct).ConfigureAwait(false);
            var (mine, newest) = await ClaimsAsync(storage, model, sha256, upload, ct).ConfigureAwait(false);
            if (mine is not null)
            {
                return mine;
            }

            // Gone from incoming/ without a claim of its own: archived as a duplicate of an earlier attempt.
            if ((handled && newest is not null) || DateTimeOffset.UtcNow > deadline)
            {
                return newest ?? DropIntake.RunIdFor(model, sha256);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }
    }

    private static async Task<(string? Mine, string? Newest)> ClaimsAsync(PlatformStorage storage, string model, string sha256, ETag upload, CancellationToken ct)
    {
        string? mine = null, newest = null;
        var newestAttempt = -1;
        await foreach (var blob in storage.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{model}/{DropIntake.RunIdFor(model, sha256)}", ct).ConfigureAwait(false))
        {
            if (!blob.Name.EndsWith("/drop.json", StringComparison.Ordinal))
            {
                continue;
            }

            var claim = await BlobJson.TryDownloadAsync<DropClaim>(storage.Runs.GetBlobClient(blob.Name), ct).ConfigureAwait(false);
            var runId = blob.Name[(model.Length + 1)..^"/drop.json".Length];
            if (claim?.IncomingETag is { } etag && new ETag(etag) == upload)
            {
                mine = runId;
            }

            if (claim is not null && claim.Attempt > newestAttempt)
            {
                (newest, newestAttempt) = (runId, claim.Attempt);
            }
        }

        return (mine, newest);
    }
}
