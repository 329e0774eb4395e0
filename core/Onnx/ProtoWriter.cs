using System.Text;

namespace Serverless.Core.Onnx;

/// <summary>
/// The few protobuf wire encodings an ONNX model needs (varint, fixed32, length-delimited), so the platform can
/// write models without a protobuf runtime. Field order is free in protobuf; repeated scalars are written unpacked,
/// which every parser accepts.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintWire = 0;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public ProtoWriter Int(int field, long value)
    {
        Tag(field, VarintWire);
        Varint((ulong)value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32Wire);
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        if (!BitConverter.IsLittleEndian) bytes.Reverse();
        _stream.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedWire);
        Varint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        return Bytes(field, inner.ToArray());
    }

    private void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    private void Varint(ulong v)
    {
        while (v >= 0x80)
        {
            _stream.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        _stream.WriteByte((byte)v);
    }
}
