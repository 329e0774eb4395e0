using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Specs;

public class ModelNameTests
{
    [Theory]
    [InlineData("churn")]
    [InlineData("0")]
    [InlineData("churn-v2")]
    [InlineData("a-")]
    public void Accepts_lowercase_digits_and_inner_hyphens(string name)
    {
        Assert.True(ModelName.IsValidModelName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-churn")]
    [InlineData("Churn")]
    [InlineData("churn_v2")]
    [InlineData("churn.v2")]
    [InlineData("churn v2")]
    [InlineData("café")]
    public void Rejects_everything_else(string name)
    {
        Assert.False(ModelName.IsValidModelName(name));
    }

    [Fact]
    public void Length_limit_is_63()
    {
        Assert.True(ModelName.IsValidModelName(new string('a', 63)));
        Assert.False(ModelName.IsValidModelName(new string('a', 64)));
    }
}
