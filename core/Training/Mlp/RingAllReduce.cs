namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Ring allreduce over N in-process buffers, the way NCCL does it between GPUs: the vector is cut into N segments;
/// N − 1 reduce-scatter steps each pass one segment to the next rank, which adds it (after them rank r owns the full
/// sum of segment r + 1); N − 1 all-gather steps then pass the finished segments around the ring. Each segment
/// travels in pieces of at most <c>chunkSize</c> elements (NCCL pipelines chunks the same way). Every rank sends
/// 2(N − 1)/N of the vector in total, whatever N is.
/// </summary>
public static class RingAllReduce
{
    /// <summary>Replaces every buffer with the elementwise sum of all of them (all buffers end bit-identical).</summary>
    /// <param name="buffers">One equally long buffer per rank.</param>
    /// <param name="chunkSize">Largest piece moved at once; 0 = a whole segment.</param>
    public static void Sum(IReadOnlyList<float[]> buffers, int chunkSize = 0)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        var n = buffers.Count;
        if (n <= 1) return;
        var length = buffers[0].Length;
        if (buffers.Any(b => b.Length != length)) throw new ArgumentException("All buffers must have the same length.", nameof(buffers));

        // Within one step every rank sends a different segment than it receives, so all ranks can move at once.
        for (var step = 0; step < n - 1; step++)
        {
            var s = step;
            ForEachRank(n, length, rank => Send(buffers, n, rank, Mod(rank - s, n), length, chunkSize, accumulate: true));
        }

        for (var step = 0; step < n - 1; step++)
        {
            var s = step;
            ForEachRank(n, length, rank => Send(buffers, n, rank, Mod(rank + 1 - s, n), length, chunkSize, accumulate: false));
        }
    }

    /// <summary>Segment <paramref name="segment"/> of <paramref name="length"/> split over <paramref name="n"/> ranks: the first length mod n segments are one longer.</summary>
    public static (int Start, int Length) Segment(int segment, int n, int length)
    {
        int size = length / n, extra = length % n;
        return ((segment * size) + Math.Min(segment, extra), size + (segment < extra ? 1 : 0));
    }

    private static void Send(IReadOnlyList<float[]> buffers, int n, int rank, int segment, int length, int chunkSize, bool accumulate)
    {
        var (start, count) = Segment(segment, n, length);
        var from = buffers[rank];
        var to = buffers[(rank + 1) % n];
        var piece = chunkSize == 0 ? Math.Max(count, 1) : chunkSize;
        for (var offset = 0; offset < count; offset += piece)
        {
            var src = from.AsSpan(start + offset, Math.Min(piece, count - offset));
            var dst = to.AsSpan(start + offset, src.Length);
            if (accumulate)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            }
            else
            {
                src.CopyTo(dst);
            }
        }
    }

    private static void ForEachRank(int n, int length, Action<int> body)
    {
        // Threads only pay off once segments are large.
        if (length / n < 4096)
        {
            for (var r = 0; r < n; r++) body(r);
        }
        else
        {
            Parallel.For(0, n, body);
        }
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;
}
