namespace Serverless.Core.Onnx;

/// <summary>A node attribute (onnx.AttributeProto): name, type tag and one value field.</summary>
internal sealed record OnnxAttribute(string Name, Action<ProtoWriter> Write)
{
    // AttributeProto fields and AttributeType values from onnx.proto.
    private const int NameField = 1, FField = 2, IField = 3, SField = 4, IntsField = 8, StringsField = 9, TypeField = 20;
    private const int FloatType = 1, IntType = 2, StringType = 3, IntsType = 7, StringsType = 8;

    public static OnnxAttribute Int(string name, long value) => new(name, w => w.Int(IField, value).Int(TypeField, IntType));

    public static OnnxAttribute Float(string name, float value) => new(name, w => w.Float(FField, value).Int(TypeField, FloatType));

    public static OnnxAttribute String(string name, string value) => new(name, w => w.String(SField, value).Int(TypeField, StringType));

    public static OnnxAttribute Ints(string name, IEnumerable<long> values) => new(name, w =>
    {
        foreach (var v in values) w.Int(IntsField, v);
        w.Int(TypeField, IntsType);
    });

    public static OnnxAttribute Strings(string name, IEnumerable<string> values) => new(name, w =>
    {
        foreach (var v in values) w.String(StringsField, v);
        w.Int(TypeField, StringsType);
    });

    public void WriteTo(ProtoWriter w)
    {
        w.String(NameField, Name);
        Write(w);
    }
}
