using System.Runtime.InteropServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Storage;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// Replicas of one MLP run exchanging gradients through blobs: in round r replica i writes its summed gradient and
/// loss to <c>runs/{model}/{run}/sync/r{r}/{i}</c> (created only if absent), lists the round's folder until all N are
/// there (or <see cref="ReplicaSyncOptions.RoundTimeout"/> passes), and adds them in replica order, so every replica
/// ends the round with the same bits. Replica 0 also stores an <see cref="MlpCheckpoint"/> every
/// <see cref="ReplicaSyncOptions.CheckpointEveryEpochs"/> epochs. Contributions stay until the run is over: a replica
/// that died and was restarted finds its last contribution, starts from the latest checkpoint, and replays the rounds
/// after it up to its last contribution from the stored blobs without recomputing.
/// Synchronous: the epoch loop it serves runs on a dedicated thread.
/// </summary>
public sealed class BlobReplicaExchange : IReplicaExchange
{
    private readonly BlobContainerClient _runs;
    private readonly string _model;
    private readonly string _runId;
    private readonly ReplicaSyncOptions _options;
    private readonly TimeProvider _time;
    private readonly long _contributedThrough;

    private BlobReplicaExchange(BlobContainerClient runs, string model, string runId, int replica, int replicas, ReplicaSyncOptions options, TimeProvider time, long contributedThrough)
    {
        (_runs, _model, _runId, _options, _time, _contributedThrough) = (runs, model, runId, options, time, contributedThrough);
        (Replica, Replicas) = (replica, replicas);
    }

    public int Replica { get; }

    public int Replicas { get; }

    /// <summary>The last round this replica had contributed to when it (re)started; −1 for a fresh start.</summary>
    public long ResumedAfterRound => _contributedThrough;

    /// <summary>Joins the run as <paramref name="replica"/> of <paramref name="replicas"/>, finding where an earlier attempt of it stopped.</summary>
    public static async Task<BlobReplicaExchange> OpenAsync(BlobContainerClient runs, string model, string runId, int replica, int replicas, ReplicaSyncOptions options, TimeProvider time, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        if (replica < 0 || replica >= replicas) throw new ArgumentOutOfRangeException(nameof(replica), replica, $"Replica index must be within [0, {replicas}).");

        // Rounds are written in order, so the highest round holding this replica's blob is where it stopped.
        var last = -1L;
        var suffix = "/" + replica.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await foreach (var blob in runs.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.RunSyncPrefix(model, runId) }, ct).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(suffix, StringComparison.Ordinal) && TryParseRound(blob.Name, out var round)) last = Math.Max(last, round);
        }

        return new BlobReplicaExchange(runs, model, runId, replica, replicas, options, time, last);
    }

    public bool Contributed(long round) => round <= _contributedThrough;

    public double Combine(long round, float[] gradient, double loss, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gradient);

        // A fresh contribution is also this replica's own term of the sum (no need to read it back); a replayed
        // round takes the stored one, which an earlier attempt computed.
        (float[] Gradient, double Loss)? own = null;
        if (!Contributed(round))
        {
            Publish(round, gradient, loss, ct);
            own = ((float[])gradient.Clone(), loss);
        }

        var contributions = WaitForAll(round, gradient.Length, own, ct);
        contributions[0].Gradient.CopyTo(gradient, 0);
        var sum = contributions[0].Loss;
        for (var i = 1; i < contributions.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(gradient, contributions[i].Gradient, gradient);
            sum += contributions[i].Loss;
        }

        return sum;
    }

    public void EpochCompleted(int epoch, Func<MlpCheckpoint> checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (Replica != 0 || epoch % Math.Max(1, _options.CheckpointEveryEpochs) != 0) return;
        using var buffer = new MemoryStream();
        checkpoint().WriteTo(buffer);
        _runs.GetBlobClient(BlobLayout.RunSyncCheckpoint(_model, _runId)).Upload(new BinaryData(buffer.ToArray()), overwrite: true, ct);
    }

    public MlpCheckpoint? LatestCheckpoint(CancellationToken ct)
    {
        // A fresh replica has nothing to catch up on (and no checkpoint can exist before every replica's first round).
        if (_contributedThrough < 0) return null;
        try
        {
            var content = _runs.GetBlobClient(BlobLayout.RunSyncCheckpoint(_model, _runId)).DownloadContent(ct).Value.Content;
            using var stream = content.ToStream();
            return MlpCheckpoint.ReadFrom(stream);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private void Publish(long round, float[] gradient, double loss, CancellationToken ct)
    {
        var bytes = new byte[sizeof(double) + (gradient.Length * sizeof(float))];
        BitConverter.TryWriteBytes(bytes, loss);
        MemoryMarshal.AsBytes(gradient.AsSpan()).CopyTo(bytes.AsSpan(sizeof(double)));
        try
        {
            _runs.GetBlobClient(BlobLayout.RunSyncContribution(_model, _runId, round, Replica)).Upload(
                new BinaryData(bytes), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // An earlier attempt of this replica wrote it after the listing: the same round, the same data; keep the first.
        }
    }

    private (float[] Gradient, double Loss)[] WaitForAll(long round, int length, (float[] Gradient, double Loss)? own, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + _options.RoundTimeout;
        var prefix = BlobLayout.RunSyncRound(_model, _runId, round);
        for (var poll = 0; ; poll++)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var blob in _runs.GetBlobs(new GetBlobsOptions { Prefix = prefix }, ct)) present.Add(blob.Name[prefix.Length..]);
            var missing = Enumerable.Range(0, Replicas).Where(i => !present.Contains(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            if (missing.Count == 0) break;
            if (_time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Round {round} of the data-parallel run did not complete within {_options.RoundTimeout}: replica(s) {string.Join(", ", missing)} of {Replicas} never contributed.");
            }

            // Another replica failed the run: stop waiting for rounds that will never complete.
            if (poll % 20 == 19 && _runs.GetBlobClient(BlobLayout.RunResultClaim(_model, _runId)).Exists(ct).Value)
            {
                throw new InvalidOperationException($"Round {round}: the run was already answered by another replica (a failure elsewhere); this replica stops.");
            }

            // The others are often a moment behind: look again soon, then back off to the poll interval.
            ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(_options.PollInterval.TotalMilliseconds, 1 << Math.Min(poll, 16))));
            ct.ThrowIfCancellationRequested();
        }

        var result = new (float[], double)[Replicas];
        Parallel.For(0, Replicas, new ParallelOptions { CancellationToken = ct }, i =>
        {
            if (i == Replica && own is { } mine)
            {
                result[i] = mine;
                return;
            }

            var bytes = _runs.GetBlobClient(BlobLayout.RunSyncContribution(_model, _runId, round, i)).DownloadContent(ct).Value.Content.ToMemory().Span;
            if (bytes.Length != sizeof(double) + (length * sizeof(float)))
            {
                throw new InvalidDataException($"Round {round}: replica {i}'s contribution has {bytes.Length} bytes, expected {sizeof(double) + (length * sizeof(float))}.");
            }

            result[i] = (MemoryMarshal.Cast<byte, float>(bytes[sizeof(double)..]).ToArray(), BitConverter.ToDouble(bytes));
        });
        return result;
    }

    private static bool TryParseRound(string name, out long round)
    {
        round = -1;
        var parts = name.Split('/');
        return parts.Length >= 2 && parts[^2] is ['r', .. var digits] && long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out round);
    }
}
