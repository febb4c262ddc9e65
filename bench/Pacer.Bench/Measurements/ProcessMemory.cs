namespace Pacer.Bench.Measurements;

/// <summary>Resident memory from <c>/proc/self/status</c>, and a full garbage collection to read it after.</summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long ResidentBytes() => ReadStatusKilobytes("VmRSS:") * 1024;

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long PeakResidentBytes() => ReadStatusKilobytes("VmHWM:") * 1024;

    /// <summary>A blocking, compacting collection of every generation (large objects included), twice around finalizers.</summary>
    public static void ForceFullCollection()
    {
        for (int i = 0; i < 2; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Bytes of live managed objects, read after <see cref="ForceFullCollection"/>.</summary>
    public static long ManagedHeapBytes() => GC.GetTotalMemory(forceFullCollection: false);

    private static long ReadStatusKilobytes(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:     12345 kB"
                string value = line[field.Length..].Trim();
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                return long.Parse(space < 0 ? value : value[..space], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
