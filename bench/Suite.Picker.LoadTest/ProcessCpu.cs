using System.Globalization;

namespace Suite.Picker.LoadTest;

/// <summary>
/// CPU time from /proc: another process's (utime + stime of /proc/&lt;pid&gt;/stat, for the picker's share of the
/// cores) and the whole machine's busy time (/proc/stat), to show whether a run was CPU-bound.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of /proc/<pid>/stat times; 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read(int? pid)
    {
        if (pid is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may contain spaces; the fields after it are counted from its closing paren.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Busy CPU time summed over all cores (everything but idle and iowait), since boot.</summary>
    public static TimeSpan? ReadMachineBusy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            for (var i = 1; i < fields.Length && i <= 8; i++)
            {
                // cpu user nice system idle iowait irq softirq steal
                if (i is not (4 or 5))
                {
                    busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
                }
            }

            return TimeSpan.FromSeconds(busy / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
