using System.Runtime.InteropServices;
using Serverless.Core.Onnx;

namespace Serverless.Core.Training.Onnx;

/// <summary>
/// Builds an onnx.ModelProto field by field (numbers from onnx.proto): inputs, outputs, float initializers and
/// nodes, serialized with <see cref="ProtoWriter"/>. Only what the platform's exporters use.
/// </summary>
internal sealed class OnnxGraphBuilder(string graphName)
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int64 = 7, String = 8, Bool = 9;

    public const string MlDomain = "ai.onnx.ml";

    // IR version 8 is the one that goes with opset 17.
    private const long IrVersion = 8;

    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly List<Action<ProtoWriter>> _inputs = [];
    private readonly List<Action<ProtoWriter>> _outputs = [];

    /// <summary>A graph input or output; a null dimension is the symbolic batch dimension "N".</summary>
    public void Input(string name, int elementType, params long?[] dims) => _inputs.Add(ValueInfo(name, elementType, dims));

    public void Output(string name, int elementType, params long?[] dims) => _outputs.Add(ValueInfo(name, elementType, dims));

    /// <summary>A constant float tensor (raw little-endian data).</summary>
    public string Initializer(string name, float[] values, params long[] dims)
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        _initializers.Add(w =>
        {
            foreach (var d in dims) w.Int(1, d);  // dims
            w.Int(2, Float);                       // data_type
            w.String(8, name);                     // name
            w.Bytes(9, bytes);                     // raw_data
        });
        return name;
    }

    /// <summary>Adds a node named after its first output; returns that output.</summary>
    public string Node(string opType, string[] inputs, string output, string? domain = null, params OnnxAttribute[] attributes)
    {
        _nodes.Add(w =>
        {
            foreach (var i in inputs) w.String(1, i);        // input
            w.String(2, output);                             // output
            w.String(3, output);                             // name
            w.String(4, opType);                             // op_type
            foreach (var a in attributes) w.Message(5, a.WriteTo); // attribute
            if (domain is not null) w.String(7, domain);     // domain
        });
        return output;
    }

    /// <summary>The serialized ModelProto importing the default opset <paramref name="opset"/> and ai.onnx.ml <paramref name="mlOpset"/>.</summary>
    public byte[] ToModel(string producer, long opset, long mlOpset)
    {
        var model = new ProtoWriter()
            .Int(1, IrVersion)                // ir_version
            .String(2, producer)              // producer_name
            .Message(7, g =>                  // graph
            {
                foreach (var n in _nodes) g.Message(1, n);
                g.String(2, graphName);
                foreach (var t in _initializers) g.Message(5, t);
                foreach (var i in _inputs) g.Message(11, i);
                foreach (var o in _outputs) g.Message(12, o);
            })
            .Message(8, o => o.String(1, string.Empty).Int(2, opset))  // opset_import
            .Message(8, o => o.String(1, MlDomain).Int(2, mlOpset));
        return model.ToArray();
    }

    // ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1 | dim_param=2}}}}}
    private static Action<ProtoWriter> ValueInfo(string name, int elementType, long?[] dims) => w => w
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Int(1, elementType)
            .Message(2, shape =>
            {
                foreach (var d in dims)
                {
                    shape.Message(1, dim =>
                    {
                        if (d is { } v) dim.Int(1, v);
                        else dim.String(2, "N");
                    });
                }
            })));
}
