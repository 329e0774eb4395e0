using Serverless.Core.Registry;

namespace Serverless.Core.Scoring;

/// <summary>A registered version ready to score: its card (input contract) and its ONNX session.</summary>
public sealed record LoadedModel(ModelCard Card, OnnxModel Onnx)
{
    /// <summary>The card's inputs indexed for request parsing, built once per loaded version.</summary>
    public PredictionInputSchema RequestSchema { get; } = new(Card.Inputs, Card.MissingValues, Card.AllowExtraColumns);
}
