using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>One logged predict request: its validated inputs and the predictions returned.</summary>
public sealed record PredictionLogEntry(
    string Model,
    int Version,
    ModelTask Task,
    string RequestId,
    DateTimeOffset At,
    TabularDataset Inputs,
    IReadOnlyList<Prediction> Predictions,
    double? LabelingConfidenceThreshold)
{
    // 64-bit CLR layouts, rounded up: object header + method table = 16 bytes, array length + padding 8 more, a string
    // 22 bytes + 2 per char. Only what the entry keeps alive is counted.
    private const int ObjectHeader = 16;
    private const int ArrayHeader = 24;
    private const int Reference = 8;

    // 0 until first read (no entry is 0 bytes): a copy constructor runs no field initializers.
    private long _estimatedBytes;

    // A copy (`with`) may change the inputs or predictions: it estimates afresh instead of copying the estimate.
    private PredictionLogEntry(PredictionLogEntry original)
    {
        Model = original.Model;
        Version = original.Version;
        Task = original.Task;
        RequestId = original.RequestId;
        At = original.At;
        Inputs = original.Inputs;
        Predictions = original.Predictions;
        LabelingConfidenceThreshold = original.LabelingConfidenceThreshold;
    }

    /// <summary>
    /// The managed memory this entry keeps alive while it waits to be written, estimated from its shape: every string
    /// it refers to is counted in full, also where it is shared (a declared category, a class label), so the estimate
    /// errs high. What <see cref="PredictionLogOptions.MaxBufferedBytes"/> is measured in.
    /// </summary>
    public long EstimatedBytes => _estimatedBytes > 0 ? _estimatedBytes : _estimatedBytes = Estimate(RequestId, Inputs, Predictions);

    private static long Estimate(string requestId, TabularDataset inputs, IReadOnlyList<Prediction> predictions)
    {
        // The entry, its request id, the table with its name → column dictionary (an entry and a bucket per column).
        var bytes = ObjectHeader + 64 + StringBytes(requestId) + ObjectHeader + 32 + ArrayHeader + 96;
        foreach (var column in inputs.Columns)
        {
            bytes += ObjectHeader + 32 + 24 + 4 + Reference;
            if (column.Floats is { } floats)
            {
                bytes += ArrayHeader + (4L * floats.Length);
            }
            else
            {
                var texts = column.TextValues;
                bytes += ArrayHeader + ((long)Reference * texts.Length);
                foreach (var text in texts) bytes += text is null ? 0 : StringBytes(text);
            }
        }

        bytes += ArrayHeader + ((long)Reference * predictions.Count);
        foreach (var p in predictions)
        {
            // The record: three references, a nullable double.
            bytes += ObjectHeader + (3 * Reference) + 16 + StringBytes(p.Id) + (p.Label is { } label ? StringBytes(label) : 0);
            if (p.Probabilities is { } probabilities)
            {
                // A Dictionary<string, double>: the object, its buckets and entries arrays, then per class a bucket,
                // an entry (hash, next, key, value) and the class name.
                bytes += ObjectHeader + 64 + (2 * ArrayHeader);
                foreach (var (name, _) in probabilities) bytes += 4 + 24 + StringBytes(name);
            }
        }

        return bytes;
    }

    private static long StringBytes(string s) => ((22 + (2L * s.Length)) + 7) & ~7L;
}
