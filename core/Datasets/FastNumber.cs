using System.Globalization;

namespace Serverless.Core.Datasets;

/// <summary>
/// Number parsing for the ingest hot path. Plain decimals ("-12.3456", "42") with at most 15 significant digits
/// are converted exactly as <see cref="double.Parse(string, IFormatProvider)"/> would (mantissa and power of ten are
/// both exact doubles, and one IEEE division rounds correctly); everything else goes to
/// <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out double)"/> with the invariant culture.
/// </summary>
internal static class FastNumber
{
    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    public static bool TryParse(ReadOnlySpan<char> s, out double value)
    {
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenPoint = false;
        var start = i;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                mantissa = (mantissa * 10) + (c - '0');
                digits++;
                if (seenPoint) fractionDigits++;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        // Any other shape (exponent, NaN, Infinity, long mantissa, bare sign or point) takes the general path.
        if (i == s.Length && digits is > 0 and <= 15 && i - start > (seenPoint ? 1 : 0))
        {
            value = mantissa / PowersOfTen[fractionDigits];
            if (negative) value = -value;
            return true;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
