using System.Globalization;

namespace Suite.Collector.Load.Cost;

/// <summary>
/// Another process's CPU time (utime + stime of <c>/proc/PID/stat</c>) and memory (<c>/proc/PID/status</c>), and
/// the machine's idle time (<c>/proc/stat</c>). Null when /proc cannot tell (the process is gone).
/// </summary>
internal static class ProcessCounters
{
    // USER_HZ, the unit of /proc's CPU times; 100 on mainstream Linux kernels.
    private const double TicksPerSecond = 100;

    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // Field 2, the command, is in parentheses and may hold spaces: count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A <c>/proc/PID/status</c> line counted in kB (<c>VmRSS</c>, <c>VmHWM</c> = peak RSS) in MiB, or a count (<c>Threads</c>).</summary>
    public static double? Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.Length > field.Length && line.StartsWith(field, StringComparison.Ordinal) && line[field.Length] == ':')
                {
                    var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var value = double.Parse(parts[0], CultureInfo.InvariantCulture);
                    return parts is [_, "kB"] ? Math.Round(value / 1024, 1) : value;
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Idle plus iowait seconds summed over all cores since boot.</summary>
    public static double? MachineIdleSeconds()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[4], CultureInfo.InvariantCulture) + long.Parse(fields[5], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/stat");
}
