namespace Serverless.Core.Monitoring;

/// <summary>Current-window counts of one numeric column over its reference slots; memory is bounded by the slots.</summary>
internal sealed class NumericAccumulator
{
    private readonly double[] _edges;

    public NumericAccumulator(NumericHistogram reference)
    {
        _edges = reference.Edges;
        Counts = new long[reference.SlotCount];
        Mass = new double[reference.SlotCount];
    }

    public long[] Counts { get; }

    public double[] Mass { get; }

    public long Missing { get; private set; }

    public void Add(float[] values)
    {
        var edges = _edges;
        var counts = Counts;
        var mass = Mass;
        long missing = 0;
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                missing++;
                continue;
            }

            double x = v;
            var slot = NumericHistogram.SlotOf(edges, x);
            counts[slot]++;
            mass[slot] += NumericHistogram.MassOf(edges, slot, x);
        }

        Missing += missing;
    }

    public void Merge(NumericAccumulator other)
    {
        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
            Mass[i] += other.Mass[i];
        }

        Missing += other.Missing;
    }
}
