using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Serverless.Core.Datasets;

namespace Serverless.Bench;

/// <summary>
/// The floor for scoring: one <see cref="InferenceSession"/> on the champion's bytes, input tensors built once per
/// batch, and only <c>Run</c> timed (the outputs the platform asks for: label and probability).
/// </summary>
internal sealed class RawOrtScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    public RawOrtScorer(byte[] onnx)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(onnx, options);
        _inputNames = _session.InputMetadata.Keys.ToArray();
        var outputs = _session.OutputMetadata.Keys.ToList();
        // ML.NET may suffix graph outputs ("Probability.output"), as OnnxModel allows.
        _outputNames = new[] { "PredictedLabel", "Probability" }
            .Select(o => outputs.First(x => x == o || x.StartsWith(o + ".", StringComparison.Ordinal))).ToArray();
    }

    /// <summary>Tensors for <paramref name="rows"/>, ready to run repeatedly; the caller disposes them.</summary>
    public OrtValue[] Inputs(TabularDataset rows)
    {
        long[] shape = [rows.RowCount, 1];
        return _inputNames.Select(name =>
        {
            var column = rows[name];
            if (_session.InputMetadata[name].ElementDataType == TensorElementType.Float)
            {
                return OrtValue.CreateTensorValueFromMemory(column.FloatValues, shape);
            }

            var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < rows.RowCount; i++) tensor.StringTensorSetElementAt((column.TextValues[i] ?? string.Empty).AsSpan(), i);
            return tensor;
        }).ToArray();
    }

    /// <summary>Runs the graph; returns the first row's probability (so the work cannot be skipped).</summary>
    public float Run(OrtValue[] inputs)
    {
        using var results = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
        return results[1].GetTensorDataAsSpan<float>()[0];
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
