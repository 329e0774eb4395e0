using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Tests.Training.Mlp;

public sealed class RingAllReduceTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var n in new[] { 1, 2, 3, 4, 5 })
        {
            foreach (var (length, chunk) in new[] { (1, 0), (7, 0), (13, 3), (101, 7), (1000, 0), (9999, 17), (20011, 1000) })
            {
                data.Add(n, length, chunk);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Equals_a_naive_sum_on_every_rank(int ranks, int length, int chunkSize)
    {
        // Small integers: every partial sum is exact in float, so any summation order must agree bit for bit.
        var rng = new Random((ranks * 7919) + length);
        var buffers = Enumerable.Range(0, ranks).Select(_ => Enumerable.Range(0, length).Select(_ => (float)rng.Next(-1000, 1000)).ToArray()).ToList();
        var expected = new float[length];
        foreach (var b in buffers)
        {
            for (var i = 0; i < length; i++) expected[i] += b[i];
        }

        RingAllReduce.Sum(buffers, chunkSize);

        foreach (var b in buffers) Assert.Equal(expected, b);
    }

    [Fact]
    public void Real_valued_sums_agree_with_a_double_sum_and_ranks_end_identical()
    {
        var rng = new Random(5);
        var buffers = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 4099).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray()).ToList();
        var expected = Enumerable.Range(0, 4099).Select(i => buffers.Sum(b => (double)b[i])).ToArray();

        RingAllReduce.Sum(buffers, chunkSize: 333);

        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - buffers[0][i]) < 1e-6, $"{i}: {expected[i]} vs {buffers[0][i]}");
        foreach (var b in buffers.Skip(1)) Assert.Equal(buffers[0], b);
    }

    [Fact]
    public void Segments_cover_the_vector_without_gaps()
    {
        for (var n = 1; n <= 5; n++)
        {
            var next = 0;
            for (var s = 0; s < n; s++)
            {
                var (start, count) = RingAllReduce.Segment(s, n, 13);
                Assert.Equal(next, start);
                next += count;
            }

            Assert.Equal(13, next);
        }
    }
}
