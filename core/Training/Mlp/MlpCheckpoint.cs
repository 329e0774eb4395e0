namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Everything <see cref="MlpFit"/> needs to carry on after epoch <see cref="Epoch"/> as if it had never stopped:
/// the weights and Adam state after <see cref="Rounds"/> steps, and the early-stopping bookkeeping. The shuffle is
/// not stored: it is replayed from the seed (one shuffle per epoch).
/// </summary>
public sealed record MlpCheckpoint(
    int Epoch,
    long Rounds,
    float[] Parameters,
    AdamState Adam,
    float[] Best,
    double BestLoss,
    int BestEpoch,
    int SinceBest,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValidationLoss,
    IReadOnlyList<TimeSpan> EpochTimes)
{
    private const int Version = 1;

    public void WriteTo(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Version);
        w.Write(Epoch);
        w.Write(Rounds);
        Write(w, Parameters);
        Write(w, Adam.M);
        Write(w, Adam.V);
        w.Write(Adam.Steps);
        Write(w, Best);
        w.Write(BestLoss);
        w.Write(BestEpoch);
        w.Write(SinceBest);
        Write(w, TrainLoss);
        Write(w, ValidationLoss);
        Write(w, EpochTimes.Select(t => (double)t.Ticks).ToList());
    }

    public static MlpCheckpoint ReadFrom(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"MLP checkpoint version {version}; this trainer reads {Version}.");
        var epoch = r.ReadInt32();
        var rounds = r.ReadInt64();
        var parameters = Floats(r);
        var adam = new AdamState(Floats(r), Floats(r), r.ReadInt32());
        return new MlpCheckpoint(epoch, rounds, parameters, adam, Floats(r), r.ReadDouble(), r.ReadInt32(), r.ReadInt32(),
            Doubles(r), Doubles(r), [.. Doubles(r).Select(t => TimeSpan.FromTicks((long)t))]);
    }

    private static void Write(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void Write(BinaryWriter w, IReadOnlyList<double> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    private static float[] Floats(BinaryReader r)
    {
        var values = new float[r.ReadInt32()];
        r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static double[] Doubles(BinaryReader r)
    {
        var values = new double[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
        return values;
    }
}

/// <summary>Adam's moment estimates and step count (<see cref="AdamOptimizer"/>).</summary>
public sealed record AdamState(float[] M, float[] V, int Steps);
