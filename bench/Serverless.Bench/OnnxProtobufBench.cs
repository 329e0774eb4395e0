using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Local.Demo;

namespace Serverless.Bench;

/// <summary>
/// core/Training/Onnx (ProtoWriter + ProtoMessage) against Google.Protobuf types generated from onnx.proto (Grpc.Tools,
/// bench/Serverless.Bench/onnx.proto): the platform's two real outputs — an MLP graph written from scratch
/// (OnnxGraphBuilder → ProtoWriter) and a LightGBM graph ML.NET exported and the platform edited (CategoricalSplitExport →
/// ProtoMessage, metadata) — parsed with the generated ModelProto and written back by Google.Protobuf. Equal bytes mean
/// a builder on the generated types would write the same file; then code size.
/// </summary>
internal static class OnnxProtobufBench
{
    private const string Area = "libraries/onnx-protobuf";

    public static (List<Measurement> Results, string Report) Run(string root)
    {
        var results = new List<Measurement>();
        var report = new StringBuilder();
        var churnSpecJson = File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json"));

        // MLP: the graph our OnnxGraphBuilder writes field by field.
        var mlpSpec = Spec(churnSpecJson, new JsonObject { ["type"] = "mlp", ["hyperparameters"] = new JsonObject { ["epochs"] = 2, ["hiddenUnits"] = 16 } });
        var mlp = new MlpTrainer().Train(mlpSpec, Data(mlpSpec, 5_000), new CpuMlpCompute()).Onnx;
        Compare("MLP (OnnxGraphBuilder → ProtoWriter)", mlp, results, report);

        // LightGBM above 50,000 training rows: ML.NET turns categorical splits on, the platform rewrites the graph.
        var gbmSpec = Spec(churnSpecJson, new JsonObject { ["type"] = "lightgbm", ["hyperparameters"] = new JsonObject { ["numberOfTrees"] = 20 } });
        var gbm = new ModelTrainer().Train(gbmSpec, Data(gbmSpec, 70_000)).Onnx;
        Compare("LightGBM (ML.NET export → CategoricalSplitExport/ProtoMessage edit)", gbm, results, report);

        // The unknown-field count must be able to fail: a field number ModelProto does not have (99, varint) shows up there.
        byte[] misnumbered = [.. mlp, 0x98, 0x06, 0x01];
        var check = $"Unknown-field check can fail: the MLP bytes plus a field 99 give {CountUnknownFields(ModelProto.Parser.ParseFrom(misnumbered))} message(s) with unknown fields.";
        Console.WriteLine(check);
        report.AppendLine(check);

        // ML.NET's converter carries its own generated ONNX types; can they be used instead of generating ours?
        var converter = AppDomain.CurrentDomain.GetAssemblies().Concat([Assembly.Load("Microsoft.ML.OnnxConverter")])
            .First(a => a.GetName().Name == "Microsoft.ML.OnnxConverter");
        var modelProto = converter.GetTypes().FirstOrDefault(t => t.Name == "ModelProto");
        var converterLine = modelProto is null
            ? "Microsoft.ML.OnnxConverter holds no ModelProto type."
            : $"Microsoft.ML.OnnxConverter {converter.GetName().Version} has `{modelProto.FullName}`: nested {(modelProto.IsNestedPublic ? "public" : "non-public")} in "
              + $"{(modelProto.DeclaringType is { IsPublic: true } ? "a public" : "an internal")} class, {(typeof(IMessage).IsAssignableFrom(modelProto) ? "a Google.Protobuf IMessage" : "not an IMessage")}"
              + $"{(modelProto.DeclaringType is { IsPublic: true } ? "" : " — usable from our code only through reflection")}; "
              + $"its Google.Protobuf reference is {converter.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "Google.Protobuf")?.Version}.";
        if (modelProto?.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageParser parser)
        {
            var viaMlNet = parser.ParseFrom(mlp).ToByteArray();
            converterLine += $" Our MLP bytes through ML.NET's ModelProto (reflection): {(viaMlNet.AsSpan().SequenceEqual(mlp) ? "byte-identical" : $"{viaMlNet.Length:N0} bytes, differ")}.";
        }

        report.AppendLine(converterLine);
        Console.WriteLine(converterLine);

        // Code size: what we maintain vs what the generated route adds.
        var ours = new[] { "ProtoWriter.cs", "ProtoMessage.cs", "OnnxGraphBuilder.cs", "OnnxAttribute.cs" }
            .Sum(f => File.ReadAllLines(Path.Combine(root, "core", "Training", "Onnx", f)).Length);
        var generated = Directory.EnumerateFiles(Path.Combine(root, "bench", "Serverless.Bench", "obj"), "Onnx.cs", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
        var generatedLines = generated is null ? 0 : File.ReadAllLines(generated).Length;
        var proto = File.ReadAllLines(Path.Combine(root, "bench", "Serverless.Bench", "onnx.proto")).Length;
        results.Add(new Measurement(Area, "ours: ProtoWriter + ProtoMessage + OnnxGraphBuilder + OnnxAttribute", ours, " lines"));
        results.Add(new Measurement(Area, "generated: onnx.proto → Onnx.cs (protoc from Grpc.Tools 2.65.0)", generatedLines, " lines", Note: $"from {proto} lines of onnx.proto"));
        report.AppendLine($"Lines: ours {ours} (4 files, hand-written); generated Onnx.cs {generatedLines} from onnx.proto {proto} lines.");
        return (results, report.ToString());
    }

    private static void Compare(string name, byte[] ours, List<Measurement> results, StringBuilder report)
    {
        var sw = Stopwatch.StartNew();
        var model = ModelProto.Parser.ParseFrom(ours);
        var parse = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var theirs = model.ToByteArray();
        var write = sw.Elapsed.TotalMilliseconds;
        var equal = theirs.AsSpan().SequenceEqual(ours);
        var firstDiff = equal ? -1 : Enumerable.Range(0, Math.Min(ours.Length, theirs.Length)).FirstOrDefault(i => ours[i] != theirs[i], Math.Min(ours.Length, theirs.Length));
        var unknown = CountUnknownFields(model);
        var g = model.Graph;
        var line = $"{name}: {ours.Length:N0} bytes; parsed by generated ModelProto: ir_version {model.IrVersion}, opsets [{string.Join(", ", model.OpsetImport.Select(o => $"'{o.Domain}':{o.Version}"))}], "
            + $"{g.Node.Count} nodes ({string.Join(", ", g.Node.GroupBy(n => n.OpType).OrderByDescending(x => x.Count()).Take(6).Select(x => $"{x.Key}×{x.Count()}"))}), "
            + $"{g.Initializer.Count} initializers, {g.Input.Count} inputs, {g.Output.Count} outputs, {model.MetadataProps.Count} metadata props, {unknown} unknown fields; "
            + $"re-serialized by Google.Protobuf: {theirs.Length:N0} bytes, {(equal ? "byte-identical" : $"differs from byte {firstDiff}")}; "
            + $"equal as messages after a round trip: {ModelProto.Parser.ParseFrom(theirs).Equals(model)}";
        var proto3 = Onnx3.ModelProto.Parser.ParseFrom(ours).ToByteArray();
        var equal3 = proto3.AsSpan().SequenceEqual(ours);
        line += $"; through types generated from onnx.proto3 instead: {proto3.Length:N0} bytes, {(equal3 ? "byte-identical" : "differ")}.";
        Console.WriteLine(line);
        report.AppendLine("- " + line);
        results.Add(new Measurement(Area, $"{name}: Google.Protobuf re-serialization byte-identical", equal ? 1 : 0, "", Note: $"{ours.Length} vs {theirs.Length} bytes"));
        results.Add(new Measurement(Area, $"{name}: same through onnx.proto3 types, byte-identical", equal3 ? 1 : 0, "", Note: $"{ours.Length} vs {proto3.Length} bytes"));
        results.Add(new Measurement(Area, $"{name}: Google.Protobuf parse + write", parse + write, " ms", Note: "first call, includes JIT"));
    }

    /// <summary>Fields the generated schema does not know: a writer bug would show up here (wrong number or wire type).</summary>
    private static int CountUnknownFields(IMessage message)
    {
        var count = 0;
        void Walk(IMessage m)
        {
            if (m.GetType().GetField("_unknownFields", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(m) is UnknownFieldSet u)
            {
                count += u.CalculateSize() > 0 ? 1 : 0;
            }

            foreach (var f in m.Descriptor.Fields.InDeclarationOrder())
            {
                var v = f.Accessor.GetValue(m);
                if (v is IMessage child) Walk(child);
                else if (v is System.Collections.IEnumerable list and not string and not ByteString)
                {
                    foreach (var item in list) if (item is IMessage c) Walk(c);
                }
            }
        }

        Walk(message);
        return count;
    }

    private static ModelSpec Spec(string churnSpecJson, JsonObject trainer)
    {
        var json = JsonNode.Parse(churnSpecJson)!.AsObject();
        json["trainer"] = trainer;
        return ModelSpecValidator.Parse(json.ToJsonString()).Spec ?? throw new InvalidOperationException("spec does not validate");
    }

    private static TabularDataset Data(ModelSpec spec, int rows) =>
        DatasetContract.Validate(new MemoryStream(Encoding.UTF8.GetBytes(ChurnSample.GenerateCsv(rows))), "churn.csv", spec, CancellationToken.None).Data
        ?? throw new InvalidOperationException("churn sample quarantined");
}
