using Xunit;

namespace Serverless.Tests.Shared;

/// <summary>
/// Compares model outputs computed in different ways (batch vs single row, alone vs in a shared batch, another
/// thread). ONNX Runtime promises no bit-identity across batch shapes, thread counts or CPUs: a fresh machine gave
/// ~6e-8 between single-row and batch probabilities. 1e-6 is far above that noise and far below any real defect
/// (a stale or foreign row moves a score by orders of magnitude more).
/// </summary>
public static class ScoreAssert
{
    public const double Tolerance = 1e-6;

    public static void Close(double? expected, double? actual, string? what = null)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.True(Math.Abs(e - a) <= Tolerance, $"{what ?? "score"}: expected {e:R}, got {a:R} (|Δ| {Math.Abs(e - a):E2} > {Tolerance:E0})");
        }
    }

    public static void Close(IReadOnlyList<float>? expected, IReadOnlyList<float>? actual, string? what = null)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is null || actual is null)
        {
            return;
        }

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Close(expected[i], actual[i], $"{what ?? "probabilities"}[{i}]");
        }
    }

    /// <summary>
    /// Labels must agree unless the expected output is a near-tie (top two classes, or a binary score and its
    /// threshold, within the tolerance), where noise may legitimately pick either side.
    /// </summary>
    public static void SameLabel(string? expected, string? actual, double margin)
    {
        if (margin > Tolerance)
        {
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>The gap between the two largest probabilities.</summary>
    public static double TopMargin(IReadOnlyList<float> probabilities)
    {
        var sorted = probabilities.OrderDescending().ToArray();
        return sorted.Length < 2 ? double.PositiveInfinity : sorted[0] - sorted[1];
    }
}
