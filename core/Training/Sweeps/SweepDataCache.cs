using Serverless.Core.Specs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// The trial evaluators (dataset snapshot read, parsed and split) of the last few sweeps this process ran trials for,
/// keyed by dataset SHA-256 and spec hash: a sweep's trials are separate activities, and without this each would
/// download and parse the snapshot again. Concurrent trials of one sweep share one load. Bounded to
/// <see cref="Capacity"/> sweeps, least recently used out first.
/// </summary>
public sealed class SweepDataCache
{
    /// <summary>Sweeps whose data stays in memory: each holds the training split (and its folds).</summary>
    public const int Capacity = 2;

    private readonly object _gate = new();
    private readonly LinkedList<(string Key, Lazy<Task<TrialEvaluator>> Load)> _entries = [];

    /// <summary>The evaluator for (dataset, spec), loaded with <paramref name="load"/> at most once while cached.</summary>
    public async Task<TrialEvaluator> GetAsync(string datasetSha256, ModelSpec spec, Func<Task<TrialEvaluator>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var key = datasetSha256 + "/" + ModelSpecStore.Hash(spec);
        Lazy<Task<TrialEvaluator>> entry;
        lock (_gate)
        {
            var node = _entries.First;
            while (node is not null && node.Value.Key != key) node = node.Next;
            if (node is not null)
            {
                _entries.Remove(node);
            }
            else
            {
                node = new LinkedListNode<(string, Lazy<Task<TrialEvaluator>>)>((key, new Lazy<Task<TrialEvaluator>>(load)));
                if (_entries.Count >= Capacity) _entries.RemoveLast();
            }

            _entries.AddFirst(node);
            entry = node.Value.Load;
        }

        try
        {
            return await entry.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed load (storage down) must not be served to the retry.
            lock (_gate)
            {
                for (var n = _entries.First; n is not null; n = n.Next)
                {
                    if (ReferenceEquals(n.Value.Load, entry))
                    {
                        _entries.Remove(n);
                        break;
                    }
                }
            }

            throw;
        }
    }
}
