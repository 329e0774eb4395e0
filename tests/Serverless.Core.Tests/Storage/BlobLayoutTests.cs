using Serverless.Core.Storage;

namespace Serverless.Core.Tests.Storage;

public sealed class BlobLayoutTests
{
    [Theory]
    [InlineData("churn/incoming/a.csv", "churn", "a.csv")]
    [InlineData("churn/incoming/2026/11/a b ü.csv", "churn", "2026/11/a b ü.csv")]
    [InlineData("churn/incoming/../../../escape.csv", "churn", "_/_/_/escape.csv")]
    [InlineData("churn/incoming/./x//y.csv", "churn", "_/x/y.csv")]
    [InlineData("churn/incoming/bad\u0001name.csv", "churn", "bad_name.csv")]
    public void Incoming_names_parse_to_a_model_and_a_name_that_cannot_leave_its_folder(string blob, string model, string name)
    {
        Assert.True(BlobLayout.TryParseIncoming(blob, out var m, out var n));
        Assert.Equal(model, m);
        Assert.Equal(name, n);
        Assert.DoesNotContain("..", n.Split('/'));
        Assert.StartsWith($"{m}/", BlobLayout.ProcessedPrefix(m, "abc") + n);
    }

    [Theory]
    [InlineData("churn/a.csv")]
    [InlineData("churn/incoming/")]
    [InlineData("churn/outgoing/a.csv")]
    [InlineData("incoming/a.csv")]
    public void Other_names_are_not_drops(string blob) => Assert.False(BlobLayout.TryParseIncoming(blob, out _, out _));
}
