namespace Serverless.Core.Training.Mlp;

/// <summary>The output layer's loss; it also fixes how targets are encoded.</summary>
public enum MlpLoss
{
    /// <summary>One logit, sigmoid + binary cross-entropy; target 0 or 1.</summary>
    BinaryCrossEntropy,

    /// <summary>One logit per class, softmax + cross-entropy; target the class index.</summary>
    SoftmaxCrossEntropy,

    /// <summary>One output, ½(ŷ − y)²; target standardised.</summary>
    MeanSquaredError,
}
