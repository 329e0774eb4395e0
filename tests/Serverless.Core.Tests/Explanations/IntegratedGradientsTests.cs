using Serverless.Core.Datasets;
using Serverless.Core.Explanations;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Training;
using Serverless.Core.Tests.Training.Mlp;
using Serverless.Core.Training.Mlp;
using Xunit.Abstractions;

namespace Serverless.Core.Tests.Explanations;

/// <summary>
/// Integrated gradients for the MLP: against the closed form on a hand-built ReLU network, zero for inputs the network
/// ignores or that sit at the baseline, and completeness (Σφ = f(x) − f(baseline) up to rounding) on trained networks of every task.
/// </summary>
public sealed class IntegratedGradientsTests(ITestOutputHelper output)
{
    // One hidden layer of 3 ReLU units over inputs (a, b, ignored); W1 is [in × out] row-major, as the trainer stores it.
    /// <summary>
    /// The path is integrated piece by piece between ReLU kinks, exactly: the gap is double-precision rounding, stated as
    /// this share of max(|f(x) − f(baseline)|, Σ|φ|) (plus <see cref="AbsoluteTolerance"/>).
    /// </summary>
    private const double CompletenessTolerance = 1e-9;

    private const double AbsoluteTolerance = 1e-12;

    private static readonly double[,] W1 = { { 1.0, -2.0, 0.5 }, { 0.5, 1.0, -1.5 }, { 0.0, 0.0, 0.0 } };
    private static readonly double[] B1 = [-0.5, 0.25, 0.125];
    private static readonly double[] W2 = [2.0, -1.0, 1.5];
    private const double B2 = 0.25;

    [Theory]
    [InlineData(1.0, 2.0, 7.0)]
    [InlineData(-1.5, 0.75, -3.0)]
    [InlineData(2.0, -2.0, 0.0)]
    public void Hand_built_network_matches_the_closed_form(double a, double b, double ignored)
    {
        var explainer = new IntegratedGradients(HandBuilt());
        var row = Row(a, b, ignored);
        var o = Assert.Single(explainer.Explain(row).Single().Outputs);

        // Along x(α) = α·x (baseline 0) a unit h is active where B1[h] + α·s[h] > 0, s[h] = Σᵢ W1[i,h]·xᵢ; so
        // IGᵢ = xᵢ · Σₕ W2[h]·W1[i,h]·(share of [0,1] where h is active).
        double[] x = [a, b, ignored];
        for (var i = 0; i < 2; i++)
        {
            var exact = x[i] * Enumerable.Range(0, 3).Sum(h => W2[h] * W1[i, h] * ActiveShare(h, x));
            var name = i == 0 ? "a" : "b";
            output.WriteLine($"x{i}: IG {o.Attributions[name]:F9}, closed form {exact:F9}");
            Assert.Equal(exact, o.Attributions[name], 1e-9);
        }

        // The network's output and the baseline's are exact (double-precision forward pass of the stored weights).
        Assert.Equal(Network(x), o.Margin, 12);
        Assert.Equal(Network([0, 0, 0]), o.ExpectedValue, 12);
        Assert.Equal(o.Attributions.Values.Sum() - (o.Margin - o.ExpectedValue), o.CompletenessGap!.Value, 12);
        Assert.True(Math.Abs(o.CompletenessGap.Value) <= 1e-9, $"gap {o.CompletenessGap}");
    }

    [Fact]
    public void An_input_the_network_ignores_or_one_at_its_baseline_gets_exactly_zero()
    {
        var explainer = new IntegratedGradients(HandBuilt());
        var o = explainer.Explain(Row(1.2, -0.7, 1e6)).Single().Outputs[0];
        Assert.Equal(0.0, o.Attributions["ignored"]);

        // At the baseline (the mean, 0 here) an input's path has zero length.
        var atBaseline = explainer.Explain(Row(0, 1.1, 0)).Single().Outputs[0];
        Assert.Equal(0.0, atBaseline.Attributions["a"]);
        Assert.NotEqual(0.0, atBaseline.Attributions["b"]);
    }

    [Theory]
    [InlineData(ModelTask.Binary)]
    [InlineData(ModelTask.Multiclass)]
    [InlineData(ModelTask.Regression)]
    public void Trained_networks_are_complete_within_the_stated_tolerance_and_explain_the_served_output(ModelTask task)
    {
        var spec = MlpTestSpecs.Spec(task, epochs: 10);
        using var compute = new CpuMlpCompute();
        var data = SyntheticData.Create(task, rows: 1000);
        var trained = new MlpTrainer().Train(spec, data, compute, CancellationToken.None);
        var artifact = MlpGradientArtifact.Build(trained.Mlp!, trained.Onnx, data);
        Assert.Contains(artifact.Features[3].BaselineCategory, SyntheticData.Colors);

        var explainer = new IntegratedGradients(artifact);
        var rows = SyntheticData.Concat(trained.Holdout.Select([.. Enumerable.Range(0, 50)]), SyntheticData.EdgeRows(task));
        var explanations = explainer.Explain(rows);
        var shares = new List<double>();
        using var onnx = new OnnxModel(trained.Onnx);
        var served = onnx.Predict(rows);
        var worst = 0.0;
        for (var r = 0; r < rows.RowCount; r++)
        {
            foreach (var (o, k) in explanations[r].Outputs.Select((o, k) => (o, k)))
            {
                Assert.Equal(["x1", "x2", "flag", "color"], o.Attributions.Keys);

                // Completeness: Σφ = f(x) − f(baseline) up to rounding.
                var scale = Math.Max(Math.Abs(o.Margin - o.ExpectedValue), o.Attributions.Values.Sum(Math.Abs));
                shares.Add(Math.Abs(o.CompletenessGap!.Value) / Math.Max(scale, 1e-9));
                worst = Math.Max(worst, shares[^1]);
                Assert.True(Math.Abs(o.CompletenessGap!.Value) <= (CompletenessTolerance * scale) + AbsoluteTolerance, $"row {r} output {k}: gap {o.CompletenessGap} of {scale}");
            }

            // The margin is what the ONNX graph serves, through the stated link (float32 there, double here).
            switch (task)
            {
                case ModelTask.Binary:
                    Assert.Equal(served[r].Score!.Value, explainer.Calibration!.Probability(explanations[r].Outputs[0].Margin), 1e-4);
                    break;
                case ModelTask.Regression:
                    Assert.Equal(served[r].Score!.Value, explanations[r].Outputs[0].Margin, 1e-3);
                    break;
                default:
                    var logits = explanations[r].Outputs.Select(o => o.Margin).ToArray();
                    var softmax = logits.Select(z => Math.Exp(z - logits.Max())).ToArray();
                    Assert.Equal(served[r].Probabilities![0], softmax[0] / softmax.Sum(), 1e-4);
                    Assert.Equal(SyntheticData.Classes, explanations[r].Outputs.Select(o => o.Class));
                    break;
            }
        }

        output.WriteLine($"{task}: |gap| / scale worst {worst:E2}, mean {shares.Average():E2} over {rows.RowCount} rows");
        Assert.Equal(explainer.Link, task switch { ModelTask.Binary => Links.Logit, ModelTask.Multiclass => Links.PerClass, _ => Links.Identity });
    }

    private static GradientExplainerArtifact HandBuilt()
    {
        var p = new List<float>();
        for (var i = 0; i < 3; i++)
        {
            for (var h = 0; h < 3; h++) p.Add((float)W1[i, h]);
        }

        p.AddRange(B1.Select(v => (float)v));
        p.AddRange(W2.Select(v => (float)v));
        p.Add((float)B2);
        return new GradientExplainerArtifact
        {
            ModelSha256 = "hand-built",
            Task = ModelTask.Regression,
            Features = [new("a", FeatureType.Numeric, 0, 1, null, null), new("b", FeatureType.Numeric, 0, 1, null, null), new("ignored", FeatureType.Numeric, 0, 1, null, null)],
            HiddenLayers = 1,
            HiddenUnits = 3,
            Outputs = 1,
            Parameters = [.. p],
        };
    }

    private static TabularDataset Row(double a, double b, double ignored) =>
        new([DataColumn.Float("a", [(float)a]), DataColumn.Float("b", [(float)b]), DataColumn.Float("ignored", [(float)ignored])]);

    private static double Network(double[] x) =>
        B2 + Enumerable.Range(0, 3).Sum(h => W2[h] * Math.Max(0, B1[h] + Enumerable.Range(0, 3).Sum(i => x[i] * W1[i, h])));

    /// <summary>The share of α ∈ [0, 1] where unit h is active on the path from 0 to x.</summary>
    private static double ActiveShare(int h, double[] x)
    {
        var slope = Enumerable.Range(0, 3).Sum(i => W1[i, h] * x[i]);
        if (slope == 0) return B1[h] > 0 ? 1 : 0;
        var root = Math.Clamp(-B1[h] / slope, 0, 1);
        return slope > 0 ? 1 - root : root;
    }
}
