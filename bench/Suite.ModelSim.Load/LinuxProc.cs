using System.Globalization;

namespace Suite.ModelSim.Load;

/// <summary>
/// CPU time and memory from /proc: another process's CPU (utime + stime of /proc/&lt;pid&gt;/stat) and memory
/// (/proc/&lt;pid&gt;/status), and the whole machine's idle time (/proc/stat). Null where /proc cannot tell.
/// </summary>
internal static class LinuxProc
{
    // USER_HZ, the unit of the /proc CPU times: 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    public static TimeSpan? ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may contain spaces; count the fields after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Idle time (idle + iowait) summed over all cores since boot, and how many cores /proc/stat counts.</summary>
    public static (TimeSpan Idle, int Cores)? MachineIdle()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/stat");

            // cpu user nice system idle iowait irq softirq steal ...
            var fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var idle = long.Parse(fields[4], CultureInfo.InvariantCulture) + long.Parse(fields[5], CultureInfo.InvariantCulture);
            var cores = lines.Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3]));
            return (TimeSpan.FromSeconds(idle / TicksPerSecond), cores);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A size line of /proc/&lt;pid&gt;/status (<c>VmRSS</c>, <c>VmHWM</c>: the peak RSS), in MiB.</summary>
    public static double? MemoryMiB(int pid, string field)
    {
        try
        {
            var prefix = field + ":";
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            var kilobytes = line?[prefix.Length..].Trim().Split(' ')[0];
            return kilobytes is null ? null : Math.Round(long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
