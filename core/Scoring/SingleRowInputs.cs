using Microsoft.ML.OnnxRuntime;
using Serverless.Core.Datasets;

namespace Serverless.Core.Scoring;

/// <summary>
/// Input tensors of shape [1, 1] for every model input, created once and refilled per request: for single-row
/// scoring, creating ten tensors per call costs about as much as running a small tree ensemble.
/// </summary>
internal sealed class SingleRowInputs : IDisposable
{
    private static readonly long[] Shape = [1, 1];

    private readonly float[][] _floats;
    private readonly OrtValue?[] _strings;

    public SingleRowInputs(IReadOnlyList<ModelInput> inputs)
    {
        _floats = new float[inputs.Count][];
        _strings = new OrtValue?[inputs.Count];
        Values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].Type == ModelInputType.Float)
                {
                    // The OrtValue pins this array for its lifetime, so writes to it are what the next run reads.
                    _floats[i] = new float[1];
                    Values[i] = OrtValue.CreateTensorValueFromMemory(_floats[i], Shape);
                }
                else
                {
                    _floats[i] = [];
                    Values[i] = _strings[i] = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, Shape);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public OrtValue[] Values { get; }

    /// <summary>Copies row 0 of each input's column into the tensors.</summary>
    public void Fill(IReadOnlyList<DataColumn> columns)
    {
        for (var i = 0; i < Values.Length; i++)
        {
            if (_strings[i] is { } text)
            {
                // Replaces the element in place (OrtFillStringTensorElement assigns, it does not append).
                text.StringTensorSetElementAt((columns[i].TextValues[0] ?? string.Empty).AsSpan(), 0);
            }
            else
            {
                _floats[i][0] = columns[i].FloatValues[0];
            }
        }
    }

    public void Dispose()
    {
        foreach (var value in Values) value?.Dispose();
    }
}
