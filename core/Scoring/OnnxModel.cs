using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Evaluation;

namespace Serverless.Core.Scoring;

/// <summary>
/// An exported model loaded into ONNX Runtime. Safe for concurrent callers: <see cref="InferenceSession"/> runs are
/// thread-safe, every batch call owns its tensors, and single-row calls each rent a tensor set of their own.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private const string PredictedLabelOutput = "PredictedLabel";
    private const string ScoreOutput = "Score";
    private const string ProbabilityOutput = "Probability";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    // Shared by every run: ORT reads run options and never writes them, and creating one per call is a native round trip.
    private readonly RunOptions _runOptions = new();

    // Reusable [1, 1] input sets for single-row calls; at most one per concurrent caller is ever created.
    private readonly ConcurrentBag<SingleRowInputs> _singleRows = [];
    private readonly string? _labelOutput;
    private readonly string? _scoreOutput;
    private readonly string? _probabilityOutput;
    private readonly string _negativeLabel;
    private readonly string _positiveLabel;

    /// <param name="onnx">Model bytes.</param>
    /// <param name="task">Overrides the task stored in the model metadata (or inferred from the outputs).</param>
    /// <param name="classLabels">Overrides the class labels stored in the model metadata (multiclass).</param>
    public OnnxModel(byte[] onnx, ModelTask? task = null, IReadOnlyList<string>? classLabels = null)
        : this(onnx, task, classLabels, ExecutionProvider.Cpu)
    {
    }

    /// <param name="onnx">Model bytes.</param>
    /// <param name="task">Overrides the task stored in the model metadata (or inferred from the outputs).</param>
    /// <param name="classLabels">Overrides the class labels stored in the model metadata (multiclass).</param>
    /// <param name="provider">The execution provider asked for; <see cref="Provider"/> says which one runs.</param>
    public OnnxModel(byte[] onnx, ModelTask? task, IReadOnlyList<string>? classLabels, ExecutionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        (_session, Provider, CudaUnavailableReason) = CreateSession(onnx, provider);
        try
        {
            Inputs = _session.InputMetadata.Select(kv => new ModelInput(kv.Key, kv.Value.ElementDataType switch
            {
                TensorElementType.Float => ModelInputType.Float,
                TensorElementType.String => ModelInputType.String,
                var t => throw new NotSupportedException($"Input '{kv.Key}' has unsupported element type {t}."),
            })).ToList();
            _inputNames = [.. Inputs.Select(i => i.Name)];

            var outputs = _session.OutputMetadata.Keys.ToList();
            _labelOutput = FindOutput(outputs, PredictedLabelOutput);
            _scoreOutput = FindOutput(outputs, ScoreOutput);
            _probabilityOutput = FindOutput(outputs, ProbabilityOutput);
            Outputs = outputs;

            var metadata = _session.ModelMetadata.CustomMetadataMap;
            Task = task ?? OnnxModelMetadata.ReadTask(metadata) ?? InferTask();
            ClassLabels = classLabels?.ToArray() ?? OnnxModelMetadata.ReadClasses(metadata);

            // A binary label stated with class names answers with them ([negative, positive]); otherwise "true"/"false".
            (_negativeLabel, _positiveLabel) = Task == ModelTask.Binary && ClassLabels is [var negative, var positive] ? (negative, positive) : ("false", "true");
            _outputNames = Task switch
            {
                ModelTask.Binary => [Require(_labelOutput, PredictedLabelOutput), Require(_probabilityOutput, ProbabilityOutput)],
                ModelTask.Multiclass => [Require(_labelOutput, PredictedLabelOutput), Require(_scoreOutput, ScoreOutput)],
                _ => [Require(_scoreOutput, ScoreOutput)],
            };
        }
        catch
        {
            _runOptions.Dispose();
            _session.Dispose();
            throw;
        }
    }

    public ModelTask Task { get; }

    public IReadOnlyList<ModelInput> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    /// <summary>
    /// Multiclass: the class of each probability slot. Binary: [negative, positive] when the label has class names.
    /// Null when neither metadata nor caller supplied them.
    /// </summary>
    public IReadOnlyList<string>? ClassLabels { get; }

    /// <summary>The provider this session runs on: <see cref="ExecutionProvider.Cuda"/> or <see cref="ExecutionProvider.Cpu"/>.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why CUDA was asked for (<see cref="ExecutionProvider.Auto"/>) but not used; null otherwise.</summary>
    public string? CudaUnavailableReason { get; }

    /// <summary>Scores all rows in one run. <paramref name="rows"/> needs a column per input (extra columns are ignored).</summary>
    public IReadOnlyList<ModelOutputRow> Predict(TabularDataset rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.RowCount;
        if (n == 0) return [];

        var columns = new DataColumn[Inputs.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = rows.Contains(_inputNames[i])
                ? rows[_inputNames[i]]
                : throw new ArgumentException($"Rows lack the model input '{_inputNames[i]}'.", nameof(rows));
        }

        return n == 1 ? PredictOne(columns) : PredictMany(columns, n);
    }

    private ModelOutputRow[] PredictOne(DataColumn[] columns)
    {
        if (!_singleRows.TryTake(out var inputs))
        {
            inputs = new SingleRowInputs(Inputs);
        }

        try
        {
            inputs.Fill(columns);
            return Run(inputs.Values, 1);
        }
        finally
        {
            _singleRows.Add(inputs);
        }
    }

    private ModelOutputRow[] PredictMany(DataColumn[] columns, int n)
    {
        var inputValues = new OrtValue[columns.Length];
        try
        {
            long[] shape = [n, 1];
            for (var c = 0; c < columns.Length; c++)
            {
                inputValues[c] = InputTensor.For(columns[c], Inputs[c].Type != ModelInputType.Float, shape, n);
            }

            return Run(inputValues, n);
        }
        finally
        {
            foreach (var v in inputValues) v?.Dispose();
        }
    }

    private ModelOutputRow[] Run(OrtValue[] inputValues, int n)
    {
        using var results = _session.Run(_runOptions, _inputNames, inputValues, _outputNames);
        return Task switch
        {
            ModelTask.Binary => Binary(results[0], results[1], n, _negativeLabel, _positiveLabel),
            ModelTask.Multiclass => Multiclass(results[0], results[1], n),
            _ => Regression(results[0], n),
        };
    }

    public void Dispose()
    {
        while (_singleRows.TryTake(out var inputs)) inputs.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static ModelOutputRow[] Binary(OrtValue label, OrtValue probability, int n, string negative, string positive)
    {
        var labels = label.GetTensorDataAsSpan<bool>();
        var probs = probability.GetTensorDataAsSpan<float>();
        var rows = new ModelOutputRow[n];
        for (var i = 0; i < n; i++) rows[i] = new ModelOutputRow(labels[i] ? positive : negative, probs[i], null);
        return rows;
    }

    private static ModelOutputRow[] Multiclass(OrtValue label, OrtValue score, int n)
    {
        var probs = score.GetTensorDataAsSpan<float>();
        var k = probs.Length / n;
        var rows = new ModelOutputRow[n];
        for (var i = 0; i < n; i++) rows[i] = new ModelOutputRow(label.GetStringElement(i), null, probs.Slice(i * k, k).ToArray());
        return rows;
    }

    private static ModelOutputRow[] Regression(OrtValue score, int n)
    {
        var scores = score.GetTensorDataAsSpan<float>();
        var rows = new ModelOutputRow[n];
        for (var i = 0; i < n; i++) rows[i] = new ModelOutputRow(null, scores[i], null);
        return rows;
    }

    private const string CudaProviderName = "CUDAExecutionProvider";

    private static string? _cudaLoadFailure;

    private static (InferenceSession Session, ExecutionProvider Provider, string? CudaUnavailableReason) CreateSession(byte[] onnx, ExecutionProvider requested)
    {
        string? reason = null;
        if (requested != ExecutionProvider.Cpu)
        {
            // CPU builds of ONNX Runtime don't list CUDA at all: skip the append, whose failure costs an exception.
            if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName))
            {
                reason = "this ONNX Runtime build has no CUDA execution provider";
            }
            else if (_cudaLoadFailure is { } failed)
            {
                reason = failed;
            }
            else
            {
                using var cuda = NewSessionOptions();
                try
                {
                    // Fails when the provider library or the CUDA/cuDNN libraries it links are missing: that holds for
                    // the whole process, so later loads skip the attempt (and ORT's error line on stderr).
                    cuda.AppendExecutionProvider_CUDA(0);
                }
                catch (OnnxRuntimeException e)
                {
                    _cudaLoadFailure = reason = e.Message;
                }

                if (reason is null)
                {
                    try
                    {
                        // Fails when no GPU answers or it lacks memory, which may pass: tried again next load.
                        return (new InferenceSession(onnx, cuda), ExecutionProvider.Cuda, null);
                    }
                    catch (OnnxRuntimeException e)
                    {
                        reason = e.Message;
                    }
                }
            }

            if (requested == ExecutionProvider.Cuda)
            {
                throw new InvalidOperationException($"The CUDA execution provider was required but is unavailable: {reason}");
            }
        }

        using var cpu = NewSessionOptions();
        return (new InferenceSession(onnx, cpu), ExecutionProvider.Cpu, reason);
    }

    private static SessionOptions NewSessionOptions() => new() { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };

    // Models without platform metadata: a probability output means binary, a label without one multiclass.
    private ModelTask InferTask() =>
        _probabilityOutput is not null ? ModelTask.Binary
        : _labelOutput is not null ? ModelTask.Multiclass
        : ModelTask.Regression;

    // ML.NET may suffix graph outputs (e.g. "Score.output"); accept the column name or that form.
    private static string? FindOutput(IReadOnlyList<string> outputs, string column) =>
        outputs.FirstOrDefault(o => o == column) ?? outputs.FirstOrDefault(o => o.StartsWith(column + ".", StringComparison.Ordinal));

    private static string Require(string? output, string column) =>
        output ?? throw new NotSupportedException($"Model has no '{column}' output.");
}
