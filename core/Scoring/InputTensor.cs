using Microsoft.ML.OnnxRuntime;
using Serverless.Core.Datasets;

namespace Serverless.Core.Scoring;

/// <summary>A batch input of an exported model: one column as a tensor of the given shape (<c>[n, 1]</c>).</summary>
internal static class InputTensor
{
    /// <summary>A float column pins its own array (no copy); a text column is copied into an ORT string tensor.</summary>
    public static OrtValue For(DataColumn column, bool text, long[] shape, int rows)
    {
        if (!text)
        {
            return OrtValue.CreateTensorValueFromMemory(column.FloatValues, shape);
        }

        var texts = column.TextValues;
        var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < rows; i++) tensor.StringTensorSetElementAt((texts[i] ?? string.Empty).AsSpan(), i);
        return tensor;
    }
}
