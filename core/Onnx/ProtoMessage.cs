namespace Serverless.Core.Onnx;

/// <summary>
/// A protobuf message read field by field (order kept), for editing a model ML.NET exported without a generated
/// ONNX schema: fields can be read, replaced and written back unchanged otherwise.
/// </summary>
internal sealed class ProtoMessage
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    /// <summary>One field occurrence: varint and fixed values in <see cref="Scalar"/>, length-delimited ones in <see cref="Bytes"/>.</summary>
    public sealed record Field(int Number, int Wire, ulong Scalar, byte[]? Bytes);

    public List<Field> Fields { get; } = [];

    public static ProtoMessage Parse(ReadOnlySpan<byte> data)
    {
        var m = new ProtoMessage();
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = ReadVarint(data, ref pos);
            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case Varint:
                    m.Fields.Add(new(number, wire, ReadVarint(data, ref pos), null));
                    break;
                case Fixed64:
                    m.Fields.Add(new(number, wire, BitConverter.ToUInt64(data.Slice(pos, 8)), null));
                    pos += 8;
                    break;
                case LengthDelimited:
                    var length = checked((int)ReadVarint(data, ref pos));
                    m.Fields.Add(new(number, wire, 0, data.Slice(pos, length).ToArray()));
                    pos += length;
                    break;
                case Fixed32:
                    m.Fields.Add(new(number, wire, BitConverter.ToUInt32(data.Slice(pos, 4)), null));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wire} (field {number}).");
            }
        }

        return m;
    }

    public string? String(int number) => Fields.LastOrDefault(f => f.Number == number && f.Bytes is not null)?.Bytes is { } b ? System.Text.Encoding.UTF8.GetString(b) : null;

    public IEnumerable<string> Strings(int number) => Fields.Where(f => f.Number == number && f.Bytes is not null).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes!));

    public IEnumerable<ProtoMessage> Messages(int number) => Fields.Where(f => f.Number == number && f.Bytes is not null).Select(f => Parse(f.Bytes));

    /// <summary>A repeated integer field, packed or not.</summary>
    public List<long> Int64s(int number)
    {
        var values = new List<long>();
        foreach (var f in Fields.Where(f => f.Number == number))
        {
            if (f.Wire == Varint)
            {
                values.Add((long)f.Scalar);
            }
            else if (f.Wire == LengthDelimited)
            {
                var pos = 0;
                while (pos < f.Bytes!.Length) values.Add((long)ReadVarint(f.Bytes, ref pos));
            }
        }

        return values;
    }

    /// <summary>A repeated float field, packed or not.</summary>
    public List<float> Floats(int number)
    {
        var values = new List<float>();
        foreach (var f in Fields.Where(f => f.Number == number))
        {
            if (f.Wire == Fixed32)
            {
                values.Add(BitConverter.UInt32BitsToSingle((uint)f.Scalar));
            }
            else if (f.Wire == LengthDelimited)
            {
                for (var i = 0; i + 4 <= f.Bytes!.Length; i += 4) values.Add(BitConverter.ToSingle(f.Bytes, i));
            }
        }

        return values;
    }

    /// <summary>Replaces every occurrence of a field with the given ones, at the position of the first.</summary>
    public void Replace(int number, IEnumerable<Field> with)
    {
        var at = Fields.FindIndex(f => f.Number == number);
        Fields.RemoveAll(f => f.Number == number);
        Fields.InsertRange(at < 0 ? Fields.Count : at, with);
    }

    public static Field Message(int number, byte[] bytes) => new(number, LengthDelimited, 0, bytes);

    public static Field Text(int number, string value) => new(number, LengthDelimited, 0, System.Text.Encoding.UTF8.GetBytes(value));

    public static Field Int(int number, long value) => new(number, Varint, (ulong)value, null);

    public static Field Float(int number, float value) => new(number, Fixed32, BitConverter.SingleToUInt32Bits(value), null);

    public byte[] ToArray()
    {
        using var ms = new MemoryStream();
        Span<byte> fixedBytes = stackalloc byte[8];
        foreach (var f in Fields)
        {
            WriteVarint(ms, ((ulong)f.Number << 3) | (uint)f.Wire);
            switch (f.Wire)
            {
                case Varint:
                    WriteVarint(ms, f.Scalar);
                    break;
                case Fixed64:
                    BitConverter.TryWriteBytes(fixedBytes, f.Scalar);
                    ms.Write(fixedBytes[..8]);
                    break;
                case Fixed32:
                    BitConverter.TryWriteBytes(fixedBytes, (uint)f.Scalar);
                    ms.Write(fixedBytes[..4]);
                    break;
                default:
                    WriteVarint(ms, (ulong)f.Bytes!.Length);
                    ms.Write(f.Bytes);
                    break;
            }
        }

        return ms.ToArray();
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        s.WriteByte((byte)v);
    }
}
