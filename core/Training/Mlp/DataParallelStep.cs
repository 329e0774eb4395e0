namespace Serverless.Core.Training.Mlp;

/// <summary>
/// One synchronous data-parallel SGD step: the global batch is cut into one contiguous shard per worker, each
/// worker computes its shard's summed gradient, a <see cref="RingAllReduce"/> adds them, and every rank applies
/// the same Adam update to the averaged gradient (ranks keep identical weights, so one copy is stored).
/// With an <see cref="IReplicaExchange"/> the global batch is first cut into one contiguous share per replica
/// (process); this process's workers split that share, and the replicas' summed gradients are added through the
/// exchange before the update. N replicas therefore compute the update one process computes over the same batch.
/// With <c>roundSteps</c> K &gt; 1 replicas instead take K local Adam steps on their shares and then average
/// weights and Adam moments through the exchange (local SGD: one storage round trip per K steps, no longer the
/// single-process update); <see cref="Flush"/> ends a short round at an epoch's end.
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
    private readonly int _roundSteps;
    private long _round;
    private int _pendingSteps;
    private bool _replaying;
    private double _pendingLoss;
    private double _lossSum;

    /// <param name="roundSteps">With an exchange: local steps per round (1 = synchronous gradient averaging).</param>
    public DataParallelStep(IMlpCompute compute, MlpLayout layout, float[] initialParameters, int workers, int batchSize, double learningRate, double l2, IReplicaExchange? exchange = null, CancellationToken ct = default, int roundSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (initialParameters.Length != layout.ParameterCount) throw new ArgumentException("Parameter vector does not match the layout.", nameof(initialParameters));

        ArgumentOutOfRangeException.ThrowIfLessThan(roundSteps, 1);
        _layout = layout;
        _exchange = exchange;
        _ct = ct;
        _roundSteps = exchange is null ? 1 : roundSteps;
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

    /// <summary>Exchange rounds completed (the round number of the next one).</summary>
    public long Rounds => _round;

    /// <summary>Summed loss of the rows trained since the last call, over all replicas (known once their round is synchronised).</summary>
    public double TakeLossSum()
    {
        var sum = _lossSum;
        _lossSum = 0;
        return sum;
    }

    public AdamState AdamState => _adam.State;

    /// <summary>Puts the step where a checkpoint left it: weights, Adam state, steps taken.</summary>
    public void Restore(float[] parameters, AdamState adam, long rounds)
    {
        if (_pendingSteps > 0) throw new InvalidOperationException("Restore between rounds only.");
        if (parameters.Length != Parameters.Length) throw new ArgumentException("Parameter vector does not match the layout.", nameof(parameters));
        parameters.CopyTo(Parameters, 0);
        _adam.Restore(adam);
        _round = rounds;
    }

    /// <summary>
    /// Trains on rows <paramref name="batch"/> of (<paramref name="features"/>, <paramref name="targets"/>); returns the
    /// batch's mean loss (with local rounds: this replica's share's, until the round is synchronised).
    /// </summary>
    public double Step(float[] features, float[] targets, ReadOnlySpan<int> batch)
    {
        var rows = batch.Length;
        if (rows == 0) return 0;
        if (_pendingSteps == 0) _replaying = _exchange?.Contributed(_round) == true;

        // This replica's share of the global batch (all of it without an exchange).
        var (shareStart, shareRows) = _exchange is null ? (0, rows) : RingAllReduce.Segment(_exchange.Replica, _exchange.Replicas, rows);
        var loss = _replaying ? 0 : ShareGradient(features, targets, batch.Slice(shareStart, shareRows));
        var g = _gradients[0];

        if (_roundSteps == 1)
        {
            // Synchronous gradient averaging: the replicas' summed gradients are added before the one update.
            if (_exchange is not null) loss = _exchange.Combine(_round++, g, loss, _ct);
            _lossSum += loss;
            Update(g, rows);
            return loss / rows;
        }

        // A local step on this replica's share; the round ends after K of them.
        if (!_replaying) Update(g, shareRows);
        _pendingLoss += loss;
        if (++_pendingSteps == _roundSteps) Flush();
        return shareRows == 0 ? 0 : loss / shareRows;
    }

    /// <summary>Ends a round of local steps early (at an epoch's end, so every replica validates the same weights).</summary>
    public void Flush()
    {
        if (_pendingSteps == 0) return;
        var p = Parameters.Length;
        var state = _adam.State;
        var vector = new float[3 * p];
        Parameters.CopyTo(vector, 0);
        state.M.CopyTo(vector, p);
        state.V.CopyTo(vector, 2 * p);
        _lossSum += _exchange!.Combine(_round++, vector, _pendingLoss, _ct);

        // The average of the replicas' weights and moments; a replayed round skipped its local Adam steps but counts them.
        var scale = 1f / _exchange.Replicas;
        System.Numerics.Tensors.TensorPrimitives.Multiply(vector, scale, vector);
        vector.AsSpan(0, p).CopyTo(Parameters);
        _adam.Restore(new AdamState(vector[p..(2 * p)], vector[(2 * p)..], state.Steps + (_replaying ? _pendingSteps : 0)));
        (_pendingSteps, _pendingLoss, _replaying) = (0, 0, false);
    }

    /// <summary>This process's summed gradient and loss over <paramref name="share"/>, split over its workers and ring-reduced into <c>_gradients[0]</c>.</summary>
    private double ShareGradient(float[] features, float[] targets, ReadOnlySpan<int> share)
    {
        var inputs = _layout.Inputs;
        var counts = new int[_workers.Length];
        for (var w = 0; w < _workers.Length; w++)
        {
            var (start, count) = RingAllReduce.Segment(w, _workers.Length, share.Length);
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
        return losses.Sum();
    }

    /// <summary>Mean over <paramref name="rows"/>, L2 on weights (not biases), one Adam step.</summary>
    private void Update(float[] g, int rows)
    {
        var scale = 1f / Math.Max(rows, 1);
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
