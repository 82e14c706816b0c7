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

    /// <param name="reportIntervals">Print and record per-interval figures (<c>--report-every</c>) while the run goes on.</param>
    public static RunReport Execute(
        EnvoyEmulator envoy, string phase, double rate, TimeSpan duration, LoadTestOptions options, bool reportIntervals = false)
    {
        var schedule = new RunSchedule(rate, duration);
        var total = schedule.Total;
        var firstIndex = Interlocked.Add(ref s_requestCounter, total) - total;

        var pickerCpuBefore = ProcessCpu.Read(options.PickerPid);
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = ProcessCpu.ReadMachineBusy();

        var pacer = new Thread(() =>
        {
            PreciseSleep.TightenTimerSlackOfThisThread();
            for (var i = 0; i < total; i++)
            {
                var due = schedule.DueAt(i);
                PreciseSleep.Until(due);
                schedule.Due[i] = due;
                schedule.Tasks[i] = envoy.InFlight >= options.MaxInFlight
                    ? Task.FromResult(ExchangeTiming.Failed(Stopwatch.GetTimestamp(), "not sent: generator at --max-in-flight"))
                    : envoy.ExchangeAsync(firstIndex + i);
                schedule.MarkStarted(i);
            }
        })
        {
            Name = "pacer",
            IsBackground = true,
        };
        pacer.Start();

        // The reporter works on this thread, which otherwise only waits: the pacer's loop is unchanged by it.
        List<IntervalReport>? intervals = null;
        if (reportIntervals && options.ReportEverySeconds > 0)
        {
            using var reporter = new IntervalReporter(schedule, options);
            intervals = reporter.Run();
        }

        pacer.Join();
        for (var i = 0; i < total; i++)
        {
            schedule.Collect(i);
        }

        var pickerCpuAfter = ProcessCpu.Read(options.PickerPid);
        var ownCpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
        var machineAfter = ProcessCpu.ReadMachineBusy();
        var run = Summarise(
            phase, rate, duration, schedule,
            pickerCpuAfter - pickerCpuBefore, ownCpuAfter - ownCpuBefore, machineAfter - machineBefore);
        return intervals is null
            ? run
            : run with { Intervals = intervals, Drift = DriftSummary.Of(intervals, options.ReportEverySeconds, options.PickerSeries) };
    }

    private static RunReport Summarise(
        string phase, double rate, TimeSpan duration, RunSchedule schedule,
        TimeSpan? pickerCpu, TimeSpan ownCpu, TimeSpan? machineBusy)
    {
        var total = schedule.Total;
        var decisionFromScheduled = new List<long>(total);
        var decisionFromSend = new List<long>(total);
        var exchangeFromScheduled = new List<long>(total);
        var lag = new List<long>(total);
        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lastFinished = schedule.Start;
        for (var i = 0; i < total; i++)
        {
            var timing = schedule.Timings[i];
            var scheduled = schedule.Due[i];
            lastFinished = Math.Max(lastFinished, timing.Finished);
            lag.Add(Math.Max(0, timing.Sent - scheduled));
            if (timing.Error is { } error)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
                continue;
            }

            decisionFromScheduled.Add(timing.Decided - scheduled);
            decisionFromSend.Add(timing.Decided - timing.Sent);
            exchangeFromScheduled.Add(timing.Finished - scheduled);
        }

        var elapsed = (double)(lastFinished - schedule.Start) / Stopwatch.Frequency;
        var succeeded = decisionFromScheduled.Count;
        return new RunReport(
            phase,
            rate,
            duration.TotalSeconds,
            total,
            succeeded,
            total - succeeded,
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
