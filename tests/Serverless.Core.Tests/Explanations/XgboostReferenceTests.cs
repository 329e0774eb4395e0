using System.Text.Json;
using Serverless.Core.Explanations;

namespace Serverless.Core.Tests.Explanations;

/// <summary>
/// Agreement with an independent TreeSHAP: XGBoost's <c>pred_contribs</c> on two fixed XGBoost models, whose trees
/// (with XGBoost's own covers) are loaded into the platform's explainer core. Reference/xgboost_treeshap.py made the
/// committed values; the suite does not need XGBoost.
/// </summary>
public sealed class XgboostReferenceTests
{
    // XGBoost accumulates in single precision; its outputs are float32.
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Models => new() { "regression", "binary" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Attributions_and_expected_value_match_xgboost_pred_contribs(string model)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Explanations", "Reference", "xgboost_treeshap.json")));
        var root = doc.RootElement;
        var features = root.GetProperty("features").GetInt32();
        var rows = root.GetProperty("rows").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? float.NaN : v.GetSingle()).ToArray()).ToList();
        var m = root.GetProperty("models").EnumerateArray().Single(e => e.GetProperty("name").GetString() == model);
        var trees = m.GetProperty("trees").EnumerateArray().Select(Tree).ToList();
        var expected = trees.Sum(t => t.ExpectedValue());

        Assert.Equal(40, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var phi = new double[features];
            foreach (var t in trees) TreeShap.Accumulate(t, rows[r], phi);

            var reference = m.GetProperty("contributions")[r].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (var f = 0; f < features; f++)
            {
                Assert.True(Math.Abs(phi[f] - reference[f]) <= Tolerance, $"{model} row {r} feature {f}: ours {phi[f]:R}, XGBoost {reference[f]:R}");
            }

            Assert.Equal(m.GetProperty("bias")[r].GetDouble(), expected, Tolerance);
            var margin = trees.Sum(t => t.Value[t.Leaf(rows[r])]);
            Assert.Equal(m.GetProperty("margins")[r].GetDouble(), margin, Tolerance);
            Assert.Equal(margin, expected + phi.Sum(), 1e-12);
        }
    }

    private static ExplainableTree Tree(JsonElement t)
    {
        int[] Ints(string name) => [.. t.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];
        double[] Doubles(string name) => [.. t.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
        var left = Ints("left");
        return new ExplainableTree(
            Ints("feature"),
            [.. Doubles("threshold").Select(v => (float)v)],
            [.. left.Select(_ => BranchMode.Less)], // XGBoost: x < threshold goes left ("yes")
            left,
            Ints("right"),
            [.. t.GetProperty("defaultLeft").EnumerateArray().Select(v => v.GetBoolean())],
            // Leaf values and covers are float32 in XGBoost: widen exactly.
            [.. Doubles("value").Select(v => (double)(float)v)],
            [.. Doubles("cover").Select(v => (double)(float)v)]);
    }
}
