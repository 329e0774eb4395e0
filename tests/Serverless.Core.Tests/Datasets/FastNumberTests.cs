using System.Globalization;
using Serverless.Core.Datasets;

namespace Serverless.Core.Tests.Datasets;

public class FastNumberTests
{
    private static void AssertSameAsDoubleParse(string s)
    {
        var expectedOk = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
        var ok = FastNumber.TryParse(s, out var actual);
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"'{s}': {expected:R} vs {actual:R}");
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+3")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("1e5")]
    [InlineData("1E-3")]
    [InlineData("999999999999999")]
    [InlineData("9999999999999999")]
    [InlineData("0.1")]
    [InlineData("0.000000000000001")]
    [InlineData("0.0000000000000001")]
    [InlineData("123456789.123456")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData(" 7 ")]
    public void Matches_double_parse_on_edge_cases(string s) => AssertSameAsDoubleParse(s);

    [Fact]
    public void Matches_double_parse_bit_for_bit_on_random_decimals()
    {
        var rng = new Random(11);
        for (var i = 0; i < 100_000; i++)
        {
            var digits = rng.Next(1, 16);
            var chars = new char[digits];
            for (var k = 0; k < digits; k++) chars[k] = (char)('0' + rng.Next(10));
            var s = new string(chars);
            var point = rng.Next(-1, digits + 1);
            if (point >= 0) s = s.Insert(point, ".");
            if (rng.Next(3) == 0) s = "-" + s;
            AssertSameAsDoubleParse(s);
        }
    }
}
