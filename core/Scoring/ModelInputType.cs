namespace Serverless.Core.Scoring;

/// <summary>Element type of one ONNX model input tensor.</summary>
public enum ModelInputType
{
    /// <summary>float tensor [N,1]: numeric and boolean features (NaN = missing).</summary>
    Float,

    /// <summary>string tensor [N,1]: categorical features (empty string = missing).</summary>
    String,
}
