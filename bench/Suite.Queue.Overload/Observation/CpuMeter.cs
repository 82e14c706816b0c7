using System.Diagnostics;
using System.Globalization;

namespace Suite.Queue.Overload.Observation;

/// <summary>CPU used over a window: this process (the whole suite and the load), and the whole machine from /proc/stat.</summary>
internal sealed class CpuMeter
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly (long Busy, long Total)? _machine = MachineTicks();

    /// <summary>Cores busy on average since this meter was made: (this process, the machine), the latter null off Linux.</summary>
    public (double Process, double? Machine) Read()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds / wall;
        double? machine = null;
        if (_machine is { } before && MachineTicks() is { } after && after.Total > before.Total)
        {
            machine = (double)(after.Busy - before.Busy) / (after.Total - before.Total) * Environment.ProcessorCount;
        }

        return (process, machine);
    }

    private static (long Busy, long Total)? MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
