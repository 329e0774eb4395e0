namespace Serverless.Bench;

/// <summary>
/// This process's resident set from <c>/proc/self/status</c>: now (VmRSS) and the peak (VmHWM), which writing 5 to
/// <c>/proc/self/clear_refs</c> resets to the current RSS (Linux, proc(5)), so a peak can be taken per step.
/// </summary>
internal static class ProcessMemory
{
    public static bool Supported => File.Exists("/proc/self/clear_refs");

    public static long CurrentBytes => Read("VmRSS:");

    public static long PeakBytes => Read("VmHWM:");

    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long Read(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
