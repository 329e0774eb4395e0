using Serverless.App.Models;
using Serverless.App.Serving;

namespace Serverless.App.Http;

/// <summary>
/// What the scoring handlers (predict, explain, model details) need: no run launcher, so the GPU scorer, which has no
/// durable backend, serves them through the same code as the Functions app and the local host.
/// </summary>
public sealed class ScoringApiServices(PredictionService prediction, ModelCatalog catalog, ExplanationService explanations)
{
    public PredictionService Prediction { get; } = prediction;

    public ModelCatalog Catalog { get; } = catalog;

    public ExplanationService Explanations { get; } = explanations;
}
