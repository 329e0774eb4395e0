using Serverless.Core.Registry;

namespace Serverless.Core.Scoring;

/// <summary>A registered version ready to score: its card (input contract) and its ONNX session.</summary>
public sealed record LoadedModel(ModelCard Card, OnnxModel Onnx);
