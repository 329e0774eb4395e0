using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>Current-window counts of one numeric column over its reference slots; memory is bounded by the slots.</summary>
internal sealed class NumericAccumulator
{
    /// <summary>New values kept beyond this many would not change the choice of test (see <see cref="NewValues"/>).</summary>
    private const int NewValuesKept = DriftMethods.MaxCategoricalNumericValues + 1;

    private readonly double[] _edges;
    private readonly List<double> _newValues = [];
    private readonly bool _trackNewValues;

    public NumericAccumulator(NumericHistogram reference)
    {
        _edges = reference.Edges;
        _trackNewValues = reference.Exact;
        Counts = new long[reference.SlotCount];
        Mass = new double[reference.SlotCount];
    }

    /// <summary>
    /// Distinct values the reference never had, up to six (enough to tell whether reference and window together hold
    /// at most five, Evidently's cut-off for testing numbers as categories). Only tracked over exact references.
    /// </summary>
    public IReadOnlyList<double> NewValues => _newValues;

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
            if ((slot & 1) == 0 && _trackNewValues) AddNewValue(x);
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
        foreach (var x in other._newValues) AddNewValue(x);
    }

    private void AddNewValue(double x)
    {
        if (_newValues.Count < NewValuesKept && !_newValues.Contains(x)) _newValues.Add(x);
    }
}
