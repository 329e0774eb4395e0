namespace Serverless.Core.Training.Mlp;

/// <summary>
/// One synchronous data-parallel SGD step: the global batch is cut into one contiguous shard per worker, each
/// worker computes its shard's summed gradient, a <see cref="RingAllReduce"/> adds them, and every rank applies
/// the same Adam update to the averaged gradient (ranks keep identical weights, so one copy is stored).
/// With an <see cref="IReplicaExchange"/> the global batch is first cut into one contiguous share per replica
/// (process); this process's workers split that share, and the replicas' summed gradients are added through the
/// exchange before the update. N replicas therefore compute the update one process computes over the same batch.
/// </summary>
public sealed class DataParallelStep : IDisposable
{
    private readonly MlpLayout _layout;
    private readonly IMlpWorker[] _workers;
    private readonly float[][] _gradients;
    private readonly float[][] _shardFeatures;
    private readonly float[][] _shardTargets;
    private readonly int _shardRows;
    private readonly float _l2;
    private readonly AdamOptimizer _adam;
    private readonly IReplicaExchange? _exchange;
    private readonly CancellationToken _ct;
    private long _round;

    public DataParallelStep(IMlpCompute compute, MlpLayout layout, float[] initialParameters, int workers, int batchSize, double learningRate, double l2, IReplicaExchange? exchange = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (initialParameters.Length != layout.ParameterCount) throw new ArgumentException("Parameter vector does not match the layout.", nameof(initialParameters));

        _layout = layout;
        _exchange = exchange;
        _ct = ct;
        var replicaRows = exchange is null ? batchSize : RingAllReduce.Segment(0, exchange.Replicas, batchSize).Length;
        _shardRows = Math.Max(1, (replicaRows + workers - 1) / workers);
        _workers = Enumerable.Range(0, workers).Select(_ => compute.CreateWorker(layout, _shardRows)).ToArray();
        _gradients = Enumerable.Range(0, workers).Select(_ => new float[layout.ParameterCount]).ToArray();
        _shardFeatures = Enumerable.Range(0, workers).Select(_ => new float[_shardRows * layout.Inputs]).ToArray();
        _shardTargets = Enumerable.Range(0, workers).Select(_ => new float[_shardRows]).ToArray();
        _l2 = (float)l2;
        _adam = new AdamOptimizer(layout.ParameterCount, learningRate);
        Parameters = (float[])initialParameters.Clone();
    }

    public float[] Parameters { get; }

    public int Workers => _workers.Length;

    /// <summary>Global steps taken (the exchange's round number of the next step).</summary>
    public long Rounds => _round;

    public AdamState AdamState => _adam.State;

    /// <summary>Puts the step where a checkpoint left it: weights, Adam state, steps taken.</summary>
    public void Restore(float[] parameters, AdamState adam, long rounds)
    {
        if (parameters.Length != Parameters.Length) throw new ArgumentException("Parameter vector does not match the layout.", nameof(parameters));
        parameters.CopyTo(Parameters, 0);
        _adam.Restore(adam);
        _round = rounds;
    }

    /// <summary>Trains on rows <paramref name="batch"/> of (<paramref name="features"/>, <paramref name="targets"/>); returns the batch's mean loss.</summary>
    public double Step(float[] features, float[] targets, ReadOnlySpan<int> batch)
    {
        var rows = batch.Length;
        if (rows == 0) return 0;
        var round = _round++;

        // This replica's share of the global batch (all of it without an exchange).
        var (shareStart, shareRows) = _exchange is null ? (0, rows) : RingAllReduce.Segment(_exchange.Replica, _exchange.Replicas, rows);
        var share = batch.Slice(shareStart, shareRows);
        var replay = _exchange?.Contributed(round) == true;
        var inputs = _layout.Inputs;
        var counts = new int[_workers.Length];
        for (var w = 0; w < _workers.Length && !replay; w++)
        {
            var (start, count) = RingAllReduce.Segment(w, _workers.Length, shareRows);
            counts[w] = count;
            for (var i = 0; i < count; i++)
            {
                var row = share[start + i];
                features.AsSpan(row * inputs, inputs).CopyTo(_shardFeatures[w].AsSpan(i * inputs, inputs));
                _shardTargets[w][i] = targets[row];
            }
        }

        // Workers run side by side (on a GPU each would be its own stream or device).
        var losses = new double[_workers.Length];
        Parallel.For(0, _workers.Length, w =>
            losses[w] = _workers[w].ComputeGradients(Parameters, _shardFeatures[w], _shardTargets[w], counts[w], _gradients[w]));

        RingAllReduce.Sum(_gradients);
        var loss = losses.Sum();
        if (_exchange is not null) loss = _exchange.Combine(round, _gradients[0], loss, _ct);

        // Mean over the global batch, then L2 on weights (not biases).
        var g = _gradients[0];
        var scale = 1f / rows;
        for (var i = 0; i < g.Length; i++) g[i] *= scale;
        if (_l2 > 0)
        {
            for (var l = 0; l < _layout.LayerCount; l++)
            {
                var w = _layout.WeightOffset(l);
                for (var i = w; i < _layout.BiasOffset(l); i++) g[i] += _l2 * Parameters[i];
            }
        }

        _adam.Step(Parameters, g);
        return loss / rows;
    }

    /// <summary>Mean loss of the current weights over all <paramref name="rows"/> rows (no update).</summary>
    public double Evaluate(float[] features, float[] targets, int rows)
    {
        var outputs = new float[_shardRows * _layout.Outputs];
        var total = 0.0;
        for (var start = 0; start < rows; start += _shardRows)
        {
            var count = Math.Min(_shardRows, rows - start);
            _workers[0].Forward(Parameters, features.AsMemory(start * _layout.Inputs, count * _layout.Inputs), count, outputs);
            total += MlpLosses.Compute(_layout.Loss, outputs, targets.AsSpan(start, count), count, _layout.Outputs, default);
        }

        return rows == 0 ? double.NaN : total / rows;
    }

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
    }
}
