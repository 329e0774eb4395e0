using System.Text.Json;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Monitoring.Feedback;

public sealed class FeedbackLabelTests
{
    private static readonly ModelSpec Binary = new()
    {
        Task = ModelTask.Binary,
        Label = "decision",
        Features = [new FeatureSpec("x", FeatureType.Numeric)],
    };

    private static (bool Ok, string Normalized, string Error) Normalize(ModelSpec spec, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var ok = FeedbackLabel.TryNormalize(spec, doc.RootElement, out var normalized, out var error);
        return (ok, normalized, error);
    }

    [Theory]
    [InlineData("\"approved\"", "true")]
    [InlineData("\" approved \"", "true")]
    [InlineData("\"denied\"", "false")]
    public void Named_binary_classes_map_the_positive_class_to_true(string label, string expected)
    {
        var (ok, normalized, _) = Normalize(Binary with { PositiveClass = "approved" }, label);
        Assert.True(ok);
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void Without_positiveClass_a_class_name_is_refused_saying_why()
    {
        var (ok, _, error) = Normalize(Binary, "\"approved\"");
        Assert.False(ok);
        Assert.Contains("positiveClass", error, StringComparison.Ordinal);
        Assert.Equal((true, "true", ""), Normalize(Binary, "\"Yes\""));
    }
}
