using System.Globalization;
using System.Runtime.InteropServices;

namespace ReleaseGates;

/// <summary>Reads host CPU, memory and disk figures on Linux and Windows.</summary>
internal static partial class HostResources
{
    /// <summary>Busy and total CPU time of the whole host, in ticks of any unit, cumulative since boot.</summary>
    public static (ulong Busy, ulong Total) CpuTimes()
    {
        if (OperatingSystem.IsLinux())
        {
            // /proc/stat "cpu  user nice system idle iowait irq softirq steal ...": idle + iowait are not busy.
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Aggregate(0UL, (a, b) => a + b);
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            return (total - idle, total);
        }

        if (OperatingSystem.IsWindows() && GetSystemTimes(out var idleTime, out var kernel, out var user))
        {
            // Kernel time includes idle time.
            var total = kernel + user;
            return (total - idleTime, total);
        }

        throw new PlatformNotSupportedException($"Host CPU utilisation is read on Linux (/proc/stat) and Windows (GetSystemTimes), not on {RuntimeInformation.OSDescription}.");
    }

    /// <summary>Physical memory in use and in total, in bytes.</summary>
    public static (long Used, long Total) Memory()
    {
        if (OperatingSystem.IsLinux())
        {
            long total = 0, available = -1;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    total = Kilobytes(line);
                }
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    available = Kilobytes(line);
                }
            }

            if (total > 0 && available >= 0)
            {
                return (total - available, total);
            }
        }

        // Windows and elsewhere: the GC's view of the machine (memory load is the OS's).
        var info = GC.GetGCMemoryInfo();
        return (info.MemoryLoadBytes, info.TotalAvailableMemoryBytes);
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetSystemTimes(out ulong idleTime, out ulong kernelTime, out ulong userTime);
}
