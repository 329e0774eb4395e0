using System.Text;

namespace Serverless.Core.Scoring;

/// <summary>
/// Sticky routing: a request key hashes (64-bit FNV-1a over its UTF-8) to one of 10,000 buckets, the same on every
/// host and process, so one entity keeps seeing one version while the split is unchanged and a larger share only adds
/// buckets (keys on the candidate at 10 % stay on it at 50 %).
/// </summary>
public static class TrafficRouting
{
    /// <summary>The request header that carries the routing key.</summary>
    public const string Header = "x-routing-key";

    /// <summary>The response header that names the version that answered.</summary>
    public const string VersionHeader = "x-model-version";

    public const int Buckets = 10_000;

    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static int Bucket(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> stack = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(key.Length) <= stack.Length ? stack[..Encoding.UTF8.GetBytes(key, stack)] : Encoding.UTF8.GetBytes(key);
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return (int)(hash % Buckets);
    }

    /// <summary>Whether the request with <paramref name="key"/> goes to a candidate that takes <paramref name="percent"/> % of traffic.</summary>
    public static bool ToCandidate(string key, int percent) => Bucket(key) < percent * (Buckets / 100);
}
