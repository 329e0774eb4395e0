using System.Globalization;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>
/// Prediction ids are UUID v7 ("N" format): the first 48 bits are the Unix time in milliseconds, so an id alone
/// tells which hour's log folder holds its prediction.
/// </summary>
public static class PredictionIds
{
    public static string New(DateTimeOffset at) => Guid.CreateVersion7(at).ToString("N");

    public static bool TryGetTimestamp(string? id, out DateTimeOffset at)
    {
        at = default;
        if (id is not { Length: 32 } || id[12] != '7' || !long.TryParse(id.AsSpan(0, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}
