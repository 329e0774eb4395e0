namespace Serverless.Core.FeatureStore;

/// <summary>
/// One row of either side of a point-in-time join: its entity (a dense id shared by both sides), its event time and
/// its index in its own table. Ordered by entity, then time, then row, so equal times keep the table's order.
/// </summary>
public readonly record struct TimedKey(int Entity, long Ticks, int Row) : IComparable<TimedKey>
{
    public int CompareTo(TimedKey other)
    {
        var c = Entity.CompareTo(other.Entity);
        if (c != 0) return c;
        c = Ticks.CompareTo(other.Ticks);
        return c != 0 ? c : Row.CompareTo(other.Row);
    }
}
