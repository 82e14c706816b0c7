using System.Diagnostics;

namespace Suite.ModelSim.Load;

/// <summary>
/// CPU used over a window, in cores (CPU seconds / wall seconds): the simulator's (when its pid is known), this
/// program's, and the whole machine's. The load program runs on the same cores as the simulator, so a machine
/// figure near <see cref="MachineCores"/> means the run was CPU-bound and its timings include waiting for a core.
/// </summary>
internal sealed record CpuCores(double? Simulator, double LoadProgram, double? MachineBusy, int MachineCores);

/// <summary>
/// Takes the CPU counters at the start of a window and turns their growth into <see cref="CpuCores"/> at its end.
/// The machine's busy time is everything that was not idle: /proc/stat's busy fields are tick samples, and on the
/// 2-core build VM, under this timer-driven load, they lost about a third of the busy time (over 5 s they showed
/// 0.6 busy + 1.1 idle cores of 2, while the processes' own counters summed to 0.9 cores); the idle figure matched
/// /proc/uptime's.
/// </summary>
internal sealed class CpuMeter
{
    private readonly int? _simulatorPid;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan? _simulator;
    private readonly TimeSpan _own = OwnCpu();
    private readonly (TimeSpan Idle, int Cores)? _machine = LinuxProc.MachineIdle();

    private CpuMeter(int? simulatorPid)
    {
        _simulatorPid = simulatorPid;
        _simulator = simulatorPid is { } pid ? LinuxProc.ProcessCpu(pid) : null;
    }

    public static CpuMeter Start(int? simulatorPid) => new(simulatorPid);

    public CpuCores Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        double? Cores(TimeSpan? before, TimeSpan? after) => before is { } b && after is { } a ? Math.Round((a - b).TotalSeconds / wall, 3) : null;
        return new CpuCores(
            Cores(_simulator, _simulatorPid is { } pid ? LinuxProc.ProcessCpu(pid) : null),
            Math.Round((OwnCpu() - _own).TotalSeconds / wall, 3),
            _machine is { } before && LinuxProc.MachineIdle() is { } after
                ? Math.Round(before.Cores - ((after.Idle - before.Idle).TotalSeconds / wall), 3)
                : null,
            _machine?.Cores ?? Environment.ProcessorCount);
    }

    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
