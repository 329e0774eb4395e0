using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// N replicas as threads of one process, exchanging gradients through memory with the storage exchange's arithmetic
/// (contributions added in replica order). For <see cref="MlpBench"/> on a lent GPU machine, which has no storage
/// emulator: it measures what splitting every batch over N replicas costs on the devices, not the blob round trips
/// (the <c>data-parallel</c> bench area measures those).
/// </summary>
internal sealed class InProcessReplicaGroup : IDisposable
{
    private readonly float[][] _gradients;
    private readonly double[] _losses;
    private readonly Barrier _barrier;

    public InProcessReplicaGroup(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        _gradients = new float[replicas][];
        _losses = new double[replicas];
        _barrier = new Barrier(replicas);
    }

    public IReplicaExchange Replica(int index) => new Member(this, index);

    public void Dispose() => _barrier.Dispose();

    private sealed class Member(InProcessReplicaGroup group, int replica) : IReplicaExchange
    {
        public int Replica => replica;

        public int Replicas => group._gradients.Length;

        public bool Contributed(long round) => false;

        public void EpochCompleted(int epoch, Func<MlpCheckpoint> checkpoint, CancellationToken ct)
        {
            // Nothing to resume in one process.
        }

        public MlpCheckpoint? LatestCheckpoint(CancellationToken ct) => null;

        public double Combine(long round, float[] gradient, double loss, CancellationToken ct)
        {
            group._gradients[replica] = (float[])gradient.Clone();
            group._losses[replica] = loss;
            group._barrier.SignalAndWait(ct);
            group._gradients[0].CopyTo(gradient, 0);
            var sum = group._losses[0];
            for (var i = 1; i < Replicas; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(gradient, group._gradients[i], gradient);
                sum += group._losses[i];
            }

            // Nobody overwrites a slot before every replica has read this round's.
            group._barrier.SignalAndWait(ct);
            return sum;
        }
    }
}
