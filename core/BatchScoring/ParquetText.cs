using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// A Parquet column as the text a CSV cell would hold, so a Parquet input meets the same contract checks as a CSV one:
/// numbers invariant and round-trippable, booleans <c>true</c>/<c>false</c>, timestamps ISO 8601, null as empty (missing).
/// Required columns are read through the non-nullable overload (Parquet.Net's nullable one consults definition levels
/// a required column does not have).
/// </summary>
internal static class ParquetText
{
    public static bool CanRead(DataField f) => IsText(f.ClrType) || f.ClrType == typeof(bool) || f.ClrType == typeof(DateTime) || Number(f.ClrType);

    public static async Task<string[]> ReadAsync(ParquetRowGroupReader group, DataField f, int n, CancellationToken ct)
    {
        var t = f.ClrType;
        if (IsText(t))
        {
            var texts = new string?[n];
            await group.ReadAsync(f, texts.AsMemory(), null, ct).ConfigureAwait(false);
            return [.. texts.Select(v => v ?? "")];
        }

        return t switch
        {
            _ when t == typeof(bool) => await ReadAsync<bool>(group, f, n, b => b ? "true" : "false", ct).ConfigureAwait(false),
            _ when t == typeof(DateTime) => await ReadAsync<DateTime>(group, f, n, d => d.ToString("O", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(float) => await ReadAsync<float>(group, f, n, v => v.ToString("R", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(double) => await ReadAsync<double>(group, f, n, v => v.ToString("R", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(sbyte) => await IntegerAsync<sbyte>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(byte) => await IntegerAsync<byte>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(short) => await IntegerAsync<short>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(ushort) => await IntegerAsync<ushort>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(int) => await IntegerAsync<int>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(uint) => await IntegerAsync<uint>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(long) => await IntegerAsync<long>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(ulong) => await IntegerAsync<ulong>(group, f, n, ct).ConfigureAwait(false),
            _ when t == typeof(decimal) => await IntegerAsync<decimal>(group, f, n, ct).ConfigureAwait(false),
            _ => throw new NotSupportedException($"Column '{f.Name}' holds {t.Name} values."),
        };
    }

    private static bool IsText(Type t) => t == typeof(string) || t == typeof(ReadOnlyMemory<char>);

    private static bool Number(Type t) =>
        t == typeof(float) || t == typeof(double) || t == typeof(decimal) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(short)
        || t == typeof(ushort) || t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong);

    private static Task<string[]> IntegerAsync<T>(ParquetRowGroupReader group, DataField f, int n, CancellationToken ct)
        where T : struct, INumberBase<T> =>
        ReadAsync<T>(group, f, n, v => v.ToString(null, CultureInfo.InvariantCulture), ct);

    private static async Task<string[]> ReadAsync<T>(ParquetRowGroupReader group, DataField f, int n, Func<T, string> text, CancellationToken ct)
        where T : struct
    {
        var result = new string[n];
        if (f.IsNullable)
        {
            var values = new T?[n];
            await group.ReadAsync<T>(f, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++) result[i] = values[i] is { } v ? text(v) : "";
        }
        else
        {
            var values = new T[n];
            await group.ReadAsync<T>(f, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++) result[i] = text(values[i]);
        }

        return result;
    }
}
