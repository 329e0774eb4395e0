using Serverless.Core.Datasets;
using Serverless.Core.Explanations;

namespace Serverless.App.Serving;

/// <summary>One version's explainer as explain serves it: exact TreeSHAP for tree models, integrated gradients for an MLP.</summary>
/// <param name="Approximate">True for integrated gradients (each output then carries its completeness gap).</param>
public sealed record VersionExplainer(string Method, bool Approximate, string Link, PlattCalibration? Calibration, Func<TabularDataset, IReadOnlyList<Explanation>> Explain)
{
    public static VersionExplainer Trees(TreeExplainer explainer) =>
        new(ExplanationService.Method, false, explainer.Link, explainer.Calibration, explainer.Explain);

    public static VersionExplainer Gradients(IntegratedGradients explainer) =>
        new(IntegratedGradients.Method, true, explainer.Link, explainer.Calibration, explainer.Explain);
}
