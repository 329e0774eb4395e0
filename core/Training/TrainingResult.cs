using Microsoft.ML;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Training;

/// <summary>A fitted model, its ONNX export and what the model card needs.</summary>
public sealed record TrainingResult
{
    /// <summary>The whole pipeline (preprocessing + trainer) as ONNX, with task and class labels in its metadata.</summary>
    public required byte[] Onnx { get; init; }

    /// <summary>The ML.NET model the ONNX was exported from (parity checks); null for an MLP (see <see cref="Mlp"/>).</summary>
    public ITransformer? MlNetModel { get; init; }

    /// <summary>The fitted MLP the ONNX was exported from (parity checks); null for ML.NET trainers.</summary>
    public MlpModel? Mlp { get; init; }

    /// <summary>Holdout rows (features + label), in original row order.</summary>
    public required TabularDataset Holdout { get; init; }

    /// <summary>Indices of <see cref="Holdout"/> rows in the input dataset.</summary>
    public required int[] HoldoutRows { get; init; }

    public required int TrainRows { get; init; }

    public required TimeSpan FitTime { get; init; }

    /// <summary>Trainer name and effective hyperparameters (invariant culture), for the model card.</summary>
    public required IReadOnlyDictionary<string, string> TrainerParameters { get; init; }

    /// <summary>ONNX inputs, one per spec feature, in spec order.</summary>
    public required IReadOnlyList<ModelInput> InputSchema { get; init; }

    /// <summary>MLP: per-epoch train and validation loss; null for other trainers.</summary>
    public IReadOnlyList<EpochLoss>? LossCurve { get; init; }

    /// <summary>Multiclass: class labels in probability-vector order. Binary with named classes: [negative, positive]. Otherwise null.</summary>
    public string[]? ClassLabels { get; init; }
}
