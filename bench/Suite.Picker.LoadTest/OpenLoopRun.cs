using System.Diagnostics;

namespace Suite.Picker.LoadTest;

/// <summary>
/// Starts requests on a fixed schedule (request i at start + i / rate) whatever happens to earlier ones, so a slow
/// picker shows up as queueing in the latencies instead of as a slower load (no coordinated omission). Latencies
/// are measured from the scheduled start; the pacer's own lateness is reported separately as generator lag.
/// </summary>
internal static class OpenLoopRun
{
    // Numbers requests across runs, so request ids and the model rotation continue from one run to the next.
    private static long s_requestCounter;

    public static RunReport Execute(EnvoyEmulator envoy, string phase, double rate, TimeSpan duration, LoadTestOptions options)
    {
        var total = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var scheduled = new long[total];
        var tasks = new Task<ExchangeTiming>[total];
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var firstIndex = Interlocked.Add(ref s_requestCounter, total) - total;

        var pickerCpuBefore = ProcessCpu.Read(options.PickerPid);
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = ProcessCpu.ReadMachineBusy();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;

        var pacer = new Thread(() =>
        {
            PreciseSleep.TightenTimerSlackOfThisThread();
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * ticksPerRequest);
                PreciseSleep.Until(due);
                scheduled[i] = due;
                tasks[i] = envoy.InFlight >= options.MaxInFlight
                    ? Task.FromResult(ExchangeTiming.Failed(Stopwatch.GetTimestamp(), "not sent: generator at --max-in-flight"))
                    : envoy.ExchangeAsync(firstIndex + i);
            }
        })
        {
            Name = "pacer",
            IsBackground = true,
        };
        pacer.Start();
        pacer.Join();
        Task.WaitAll(tasks);

        var pickerCpuAfter = ProcessCpu.Read(options.PickerPid);
        var ownCpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
        var machineAfter = ProcessCpu.ReadMachineBusy();
        return Summarise(
            phase, rate, duration, scheduled, tasks, start,
            pickerCpuAfter - pickerCpuBefore, ownCpuAfter - ownCpuBefore, machineAfter - machineBefore);
    }

    private static RunReport Summarise(
        string phase, double rate, TimeSpan duration, long[] scheduled, Task<ExchangeTiming>[] tasks, long start,
        TimeSpan? pickerCpu, TimeSpan ownCpu, TimeSpan? machineBusy)
    {
        var decisionFromScheduled = new List<long>(tasks.Length);
        var decisionFromSend = new List<long>(tasks.Length);
        var exchangeFromScheduled = new List<long>(tasks.Length);
        var lag = new List<long>(tasks.Length);
        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lastFinished = start;
        for (var i = 0; i < tasks.Length; i++)
        {
            var timing = tasks[i].Result;
            lastFinished = Math.Max(lastFinished, timing.Finished);
            lag.Add(Math.Max(0, timing.Sent - scheduled[i]));
            if (timing.Error is { } error)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
                continue;
            }

            decisionFromScheduled.Add(timing.Decided - scheduled[i]);
            decisionFromSend.Add(timing.Decided - timing.Sent);
            exchangeFromScheduled.Add(timing.Finished - scheduled[i]);
        }

        var elapsed = (double)(lastFinished - start) / Stopwatch.Frequency;
        var succeeded = decisionFromScheduled.Count;
        return new RunReport(
            phase,
            rate,
            duration.TotalSeconds,
            tasks.Length,
            succeeded,
            tasks.Length - succeeded,
            errors,
            Math.Round(succeeded / elapsed, 1),
            Math.Round(elapsed, 3),
            LatencySummary.Of(decisionFromScheduled),
            LatencySummary.Of(decisionFromSend),
            LatencySummary.Of(exchangeFromScheduled),
            LatencySummary.Of(lag),
            pickerCpu is { } picker ? Math.Round(picker.TotalSeconds / elapsed, 3) : null,
            Math.Round(ownCpu.TotalSeconds / elapsed, 3),
            machineBusy is { } busy ? Math.Round(busy.TotalSeconds / elapsed, 3) : null);
    }
}
