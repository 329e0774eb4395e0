using System.Text;
using System.Text.Json;
using Serverless.Core.Specs;

namespace Serverless.Core.Scoring;

/// <summary>
/// Platform facts stored inside the ONNX file (ModelProto.metadata_props), so a model blob is self-describing:
/// the scorer needs no side file to know the task or which class each probability belongs to.
/// ML.NET's exporter has no hook for metadata, so entries are appended to the serialized ModelProto; protobuf
/// merges repeated fields that appear later in a message, so this is a valid model.
/// </summary>
public static class OnnxModelMetadata
{
    public const string TaskKey = "serverless.task";

    /// <summary>JSON array of class labels: multiclass in probability-vector order; binary [negative, positive] when named.</summary>
    public const string ClassesKey = "serverless.classes";

    private const int MetadataPropsField = 14; // ModelProto.metadata_props
    private const int KeyField = 1;            // StringStringEntryProto.key
    private const int ValueField = 2;          // StringStringEntryProto.value
    private const int LengthDelimited = 2;     // protobuf wire type

    public static byte[] Write(byte[] model, ModelTask task, IReadOnlyList<string>? classLabels)
    {
        var entries = new List<KeyValuePair<string, string>> { new(TaskKey, TaskName(task)) };
        if (classLabels is not null)
        {
            entries.Add(new(ClassesKey, JsonSerializer.Serialize(classLabels, PlatformJson.Options)));
        }

        using var ms = new MemoryStream(model.Length + 256);
        ms.Write(model);
        foreach (var (key, value) in entries)
        {
            using var entry = new MemoryStream();
            WriteString(entry, KeyField, key);
            WriteString(entry, ValueField, value);
            WriteBytes(ms, MetadataPropsField, entry.ToArray());
        }

        return ms.ToArray();
    }

    public static ModelTask? ReadTask(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(TaskKey, out var t)
            ? Enum.GetValues<ModelTask>().Cast<ModelTask?>().FirstOrDefault(x => TaskName(x!.Value) == t)
            : null;

    public static string[]? ReadClasses(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ClassesKey, out var json) ? JsonSerializer.Deserialize<string[]>(json, PlatformJson.Options) : null;

    // The spec's JSON names ("binary", ...), so the metadata reads the same as model.json.
    private static string TaskName(ModelTask task) => JsonSerializer.Serialize(task, PlatformJson.Options).Trim('"');

    private static void WriteString(Stream s, int field, string value) => WriteBytes(s, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream s, int field, byte[] payload)
    {
        WriteVarint(s, (ulong)((field << 3) | LengthDelimited));
        WriteVarint(s, (ulong)payload.Length);
        s.Write(payload);
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
