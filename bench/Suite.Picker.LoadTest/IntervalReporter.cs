using System.Diagnostics;
using System.Globalization;

namespace Suite.Picker.LoadTest;

/// <summary>
/// Cuts a running open-loop run into intervals of <c>--report-every</c> seconds. At each interval's end it samples
/// the picker (RSS, CPU, scraped series), then waits for the interval's requests to finish and summarises their
/// timings. It only reads what the pacer has published, so the per-request path does no extra work; the one latency
/// buffer is allocated once and sorted in place.
/// </summary>
internal sealed class IntervalReporter : IDisposable
{
    private readonly RunSchedule _schedule;
    private readonly LoadTestOptions _options;
    private readonly PrometheusScraper? _scraper;
    private readonly long _intervalTicks;
    private readonly long[] _latencies;

    public IntervalReporter(RunSchedule schedule, LoadTestOptions options)
    {
        _schedule = schedule;
        _options = options;
        _scraper = options.PickerMetrics is { } page ? new PrometheusScraper(page, options.PickerSeries) : null;
        _intervalTicks = (long)(options.ReportEverySeconds * Stopwatch.Frequency);
        _latencies = new long[Math.Min(schedule.Total, (int)Math.Ceiling(schedule.Rate * options.ReportEverySeconds) + 1)];
    }

    /// <summary>Reports every interval as it ends; returns once the run's last request has finished.</summary>
    public List<IntervalReport> Run()
    {
        Console.WriteLine(
            $"intervals of {_options.ReportEverySeconds.ToString(CultureInfo.InvariantCulture)} s: requests by scheduled start, "
            + "decision latency from scheduled start, the picker's memory and CPU sampled at each interval's end");
        var reports = new List<IntervalReport>();
        var runEnd = _schedule.DueAt(_schedule.Total);
        var sampledAt = _schedule.Start;
        var pickerCpu = ProcessCpu.Read(_options.PickerPid);
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var index = 0; ; index++)
        {
            var from = _schedule.Start + (index * _intervalTicks);
            var first = _schedule.FirstDueAtOrAfter(from);
            if (first >= _schedule.Total)
            {
                return reports;
            }

            var to = Math.Min(from + _intervalTicks, runEnd);
            var end = _schedule.FirstDueAtOrAfter(to);
            PreciseSleep.Until(to);

            var now = Stopwatch.GetTimestamp();
            var wall = TimeSpan.FromSeconds((double)(now - sampledAt) / Stopwatch.Frequency);
            var rss = ProcessMemory.ReadResidentBytes(_options.PickerPid);
            var pickerCpuNow = ProcessCpu.Read(_options.PickerPid);
            var ownCpuNow = Process.GetCurrentProcess().TotalProcessorTime;
            var series = _scraper?.Scrape();
            var report = Summarise(
                index, from, to, now, first, end,
                rss,
                pickerCpuNow - pickerCpu is { } pickerBusy ? Math.Round(pickerBusy / wall, 3) : null,
                series,
                Math.Round((ownCpuNow - ownCpu) / wall, 3));
            sampledAt = now;
            pickerCpu = pickerCpuNow;
            ownCpu = ownCpuNow;

            reports.Add(report);
            Console.WriteLine(report.ToText(_options.PickerSeries));
        }
    }

    public void Dispose() => _scraper?.Dispose();

    private IntervalReport Summarise(
        int index, long from, long to, long sampledAt, int first, int end,
        long? rss, double? pickerCpuCores, SortedDictionary<string, double>? series, double ownCpuCores)
    {
        // The pacer may run a little behind the clock; the interval's last request must have been started.
        while (_schedule.Started < end)
        {
            Thread.Sleep(1);
        }

        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var succeeded = 0;
        var lastFinished = from;
        for (var i = first; i < end; i++)
        {
            var timing = _schedule.Collect(i);
            lastFinished = Math.Max(lastFinished, timing.Finished);
            if (timing.Error is { } error)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
                continue;
            }

            _latencies[succeeded++] = timing.Decided - _schedule.Due[i];
        }

        var frequency = (double)Stopwatch.Frequency;
        var span = (lastFinished - from) / frequency;
        return new IntervalReport(
            index,
            Math.Round((from - _schedule.Start) / frequency, 3),
            Math.Round((to - _schedule.Start) / frequency, 3),
            Math.Round((sampledAt - _schedule.Start) / frequency, 3),
            end - first,
            succeeded,
            end - first - succeeded,
            errors,
            span > 0 ? Math.Round(succeeded / span, 1) : 0,
            LatencySummary.OfInPlace(_latencies.AsSpan(0, succeeded)),
            rss is { } bytes ? Math.Round(bytes / IntervalReport.BytesPerMib, 3) : null,
            pickerCpuCores,
            series,
            ownCpuCores,
            Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / IntervalReport.BytesPerMib, 3));
    }
}
