using System.Globalization;

namespace Serverless.Core.Scoring;

/// <summary>
/// Prediction ids are UUID v7 ("N" format): the first 48 bits are the Unix time in milliseconds, so an id alone
/// tells which hour's log folder holds its prediction.
/// </summary>
public static class PredictionIds
{
    /// <summary>
    /// A UUID v7 in "N" form. Built by hand rather than with <see cref="Guid.CreateVersion7(DateTimeOffset)"/>, whose
    /// random bits come from the OS generator at 2–4 µs per id; ids need uniqueness, not secrecy.
    /// </summary>
    public static string New(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        Random.Shared.NextBytes(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return Convert.ToHexStringLower(bytes);
    }

    public static bool TryGetTimestamp(string? id, out DateTimeOffset at) => TryGetTimestamp(id, out at, out _);

    /// <summary>The id's embedded time, or false with <paramref name="problem"/> saying what is wrong with the id.</summary>
    public static bool TryGetTimestamp(string? id, out DateTimeOffset at, out string problem)
    {
        at = default;
        if (id is not { Length: 32 } || id[12] != '7' || !long.TryParse(id.AsSpan(0, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ms))
        {
            problem = "Not a prediction id (32 hex digits, UUID v7, as returned by predict).";
            return false;
        }

        // 48 bits of milliseconds reach the year 10889; DateTimeOffset (and so no real prediction) goes past 9999.
        if (ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            problem = $"The id's embedded time ({ms} ms since 1970) is past the year 9999; it was not made by predict.";
            return false;
        }

        at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        problem = "";
        return true;
    }
}
