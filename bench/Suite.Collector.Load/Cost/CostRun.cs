using System.Diagnostics;
using System.Globalization;
using Suite.Collector.Load.Fleet;
using Suite.Collector.Load.Reporting;

namespace Suite.Collector.Load.Cost;

/// <summary>
/// Measures a running collector that scrapes a running simulator fleet: its CPU and memory, the fleet's CPU, and
/// the scrape rate it achieves, first with the fleet idle, then with completions traffic moving the fleet's figures.
/// The processes are the script's; this program only reads /proc, <c>ss</c> and the collector's HTTP port.
/// </summary>
internal static class CostRun
{
    public static async Task<int> RunAsync(CostOptions options, string command, CancellationToken stopping)
    {
        foreach (var (pid, what) in new[] { (options.CollectorPid, "collector"), (options.SimulatorPid, "simulator") })
        {
            if (!ProcessCounters.IsRunning(pid))
            {
                await Console.Error.WriteLineAsync($"The {what} (pid {pid}) is not running.");
                return 1;
            }
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (!await WaitReadyAsync(http, options.CollectorUrl, stopping))
        {
            await Console.Error.WriteLineAsync($"The collector did not report ready at {new Uri(options.CollectorUrl, "/readyz")} within 60 s.");
            return 1;
        }

        // Once before any window: the first ss start and the first request to the collector's page are slow.
        _ = await ReadingAsync(options, http, null, stopping);
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine(
            $"cost: collector pid {options.CollectorPid} scraping {options.Instances} endpoints (127.0.1.1-127.0.1.{options.Instances}:{options.FleetPort}) "
            + $"every {options.IntervalMs:0} ms, simulator pid {options.SimulatorPid}; per phase {options.Warmup.TotalSeconds:0} s warm-up, "
            + $"{options.Window.TotalSeconds:0} s measured; {Environment.ProcessorCount} cores shared by the collector, the simulator and this program");
        var phases = new List<CostPhase>();
        foreach (var phase in options.Phases)
        {
            phases.Add(await MeasureAsync(phase, options, http, stopping));
            if (!ProcessCounters.IsRunning(options.CollectorPid))
            {
                await Console.Error.WriteLineAsync("The collector exited during the run.");
                return 1;
            }
        }

        Console.WriteLine();
        PrintTable(phases, options);
        var result = new CostResult(
            command,
            startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            new CostSettings(
                options.Instances,
                options.FleetPort,
                options.IntervalMs,
                options.Warmup.TotalSeconds,
                options.Window.TotalSeconds,
                options.LoadRate,
                options.MaxTokens,
                options.Model,
                options.TargetCores),
            phases);
        if (options.Out is { } path)
        {
            await ResultFiles.WriteAsync(path, result, ResultJson.Default.CostResult, stopping);
            Console.WriteLine($"result written to {path}");
        }

        return 0;
    }

    private static async Task<CostPhase> MeasureAsync(string phase, CostOptions options, HttpClient http, CancellationToken stopping)
    {
        CompletionTraffic? traffic = null;
        if (phase == "load")
        {
            var instances = Enumerable.Range(0, options.Instances)
                .Select(i => new Uri($"http://{PoolManifests.Address(i, options.FleetPort)}/"))
                .ToArray();
            traffic = CompletionTraffic.Start(instances, options.Model, options.MaxTokens, options.LoadRate, options.MaxInFlight);
            Console.WriteLine(
                $"{phase}: {options.LoadRate:0} completions/s open loop, round-robin over the instances ({options.MaxTokens} tokens each, ignore_eos, not streamed)");
        }
        else
        {
            Console.WriteLine($"{phase}: no traffic; the simulator answers scrapes only");
        }

        try
        {
            await Task.Delay(options.Warmup, stopping);
            var before = await ReadingAsync(options, http, traffic, stopping);
            double? rssMax = null;
            var windowEnd = before.Timestamp + (long)(options.Window.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < windowEnd)
            {
                var left = TimeSpan.FromSeconds((double)(windowEnd - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
                await Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), stopping);
                if (ProcessCounters.Status(options.CollectorPid, "VmRSS") is { } rss)
                {
                    rssMax = Math.Max(rssMax ?? 0, rss);
                }
            }

            var after = await ReadingAsync(options, http, traffic, stopping);
            var result = Compare(phase, options, before, after, rssMax);
            Console.WriteLine($"  {Describe(result)}");
            return result;
        }
        finally
        {
            if (traffic is not null)
            {
                await traffic.DisposeAsync();
            }
        }
    }

    private static CostPhase Compare(string phase, CostOptions options, Reading before, Reading after, double? rssMax)
    {
        // Each source has its own window: ss and the collector's page take a few milliseconds each to read.
        static double Seconds(long start, long end) => (double)(end - start) / Stopwatch.Frequency;
        var wall = Seconds(before.Timestamp, after.Timestamp);
        double? Cores(double? start, double? end) => start is { } s && end is { } e ? Math.Round((e - s) / wall, 3) : null;
        var collectorCores = Cores(before.CollectorCpu, after.CollectorCpu);

        CountedScrapes? scrapes = null;
        if (before.Connections is { } startConnections && after.Connections is { } endConnections)
        {
            var traffic = TcpConnectionCounters.Between(startConnections, endConnections);
            var count = (double)traffic.DataSegmentsOut;
            var seconds = Seconds(before.ConnectionsAt, after.ConnectionsAt);
            scrapes = new CountedScrapes(
                Math.Round(count / seconds, 1),
                Math.Round(count / seconds / options.Instances, 2),
                count > 0 ? Math.Round(traffic.BytesSent / count, 1) : 0,
                count > 0 ? Math.Round(traffic.BytesReceived / count, 0) : 0,
                traffic.Connections,
                traffic.Opened,
                traffic.Closed);
        }

        ReportedScrapes? reported = null;
        if (before.Counters is { } startCounters && after.Counters is { } endCounters)
        {
            var delta = endCounters.Minus(startCounters);
            var scrapeCount = delta.ScrapesOk + delta.ScrapesFailed;
            var seconds = Seconds(before.CountersAt, after.CountersAt);
            reported = new ReportedScrapes(
                Math.Round(delta.ScrapesOk / seconds, 1),
                Math.Round(delta.ScrapesFailed / seconds, 2),
                Math.Round(delta.Rounds / seconds, 2),
                delta.Rounds > 0 ? Math.Round(delta.RoundSeconds / delta.Rounds * 1000, 3) : 0,
                scrapeCount > 0 ? Math.Round(delta.ScrapeSeconds / scrapeCount * 1000, 3) : 0,
                Math.Round(delta.SnapshotsPublished / seconds, 2));
        }

        // CPU per scrape from the collector's own count when it has one, else from the connections'.
        var scrapeRate = reported is not null ? reported.OkPerSecond + reported.FailedPerSecond : scrapes?.PerSecond;
        double? perScrape = collectorCores is { } cores && scrapeRate is > 0 ? Math.Round(cores / scrapeRate.Value * 1e6, 1) : null;

        TrafficResult? trafficResult = null;
        if (before.Traffic is { } startTraffic && after.Traffic is { } endTraffic)
        {
            var failures = endTraffic.FailureKinds.ToDictionary(
                kind => kind.Key, kind => kind.Value - startTraffic.FailureKinds.GetValueOrDefault(kind.Key), StringComparer.Ordinal);
            trafficResult = new TrafficResult(
                options.LoadRate,
                Math.Round((endTraffic.Completed - startTraffic.Completed) / wall, 1),
                endTraffic.Failed - startTraffic.Failed,
                failures.Where(kind => kind.Value > 0).ToDictionary(StringComparer.Ordinal));
        }

        var machineCores = Environment.ProcessorCount;
        return new CostPhase(
            phase,
            Math.Round(wall, 2),
            new CollectorUsage(
                collectorCores,
                ProcessCounters.Status(options.CollectorPid, "VmRSS"),
                rssMax,
                ProcessCounters.Status(options.CollectorPid, "VmHWM"),
                ProcessCounters.Status(options.CollectorPid, "Threads")),
            scrapes,
            reported,
            perScrape,
            Cores(before.SimulatorCpu, after.SimulatorCpu),
            Math.Round((after.OwnCpu - before.OwnCpu) / wall, 3),
            before.MachineIdle is { } idleStart && after.MachineIdle is { } idleEnd ? Math.Round(machineCores - ((idleEnd - idleStart) / wall), 3) : null,
            machineCores,
            trafficResult);
    }

    private static async Task<Reading> ReadingAsync(CostOptions options, HttpClient http, CompletionTraffic? traffic, CancellationToken stopping)
    {
        // Each reading is dated at the middle of the time it took.
        var asked = Stopwatch.GetTimestamp();
        var connections = await TcpConnectionCounters.ReadAsync(options.CollectorPid, options.FleetPort, stopping);
        var answered = Stopwatch.GetTimestamp();
        var connectionsAt = asked + ((answered - asked) / 2);
        asked = answered;
        var counters = await CollectorSelfMetrics.ReadAsync(http, new Uri(options.CollectorUrl, "/metrics"), stopping);
        answered = Stopwatch.GetTimestamp();
        var countersAt = asked + ((answered - asked) / 2);
        using var self = Process.GetCurrentProcess();
        return new Reading(
            Stopwatch.GetTimestamp(),
            connectionsAt,
            countersAt,
            ProcessCounters.CpuSeconds(options.CollectorPid),
            ProcessCounters.CpuSeconds(options.SimulatorPid),
            self.TotalProcessorTime.TotalSeconds,
            ProcessCounters.MachineIdleSeconds(),
            connections,
            counters,
            traffic?.Counts);
    }

    private static async Task<bool> WaitReadyAsync(HttpClient http, Uri collector, CancellationToken stopping)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(collector, "/readyz"), stopping);
                if (ready.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250, stopping);
        }

        return false;
    }

    private static string Describe(CostPhase phase)
    {
        var parts = new List<string>
        {
            $"window {phase.WindowSeconds:0.0} s",
            $"collector {Format(phase.Collector.CpuCores, "0.000")} cores, RSS {Format(phase.Collector.RssMiB, "0.0")} MiB (window max {Format(phase.Collector.RssMaxInWindowMiB, "0.0")}, peak since start {Format(phase.Collector.PeakRssMiB, "0.0")}), {Format(phase.Collector.Threads, "0")} threads",
        };
        if (phase.Scrapes is { } counted)
        {
            parts.Add($"scrapes counted on its connections {counted.PerSecond:0.0}/s = {counted.RoundsPerSecond:0.00} rounds/s per endpoint "
                + $"({counted.BytesSentPerScrape:0} B sent, {counted.BytesReceivedPerScrape:0} B received per scrape; {counted.Connections} connections, {counted.Opened} opened, {counted.Closed} closed in the window)");
        }

        if (phase.CollectorReported is { } reported)
        {
            parts.Add($"the collector's own meter: {reported.OkPerSecond:0.0} ok + {reported.FailedPerSecond:0.00} failed scrapes/s, {reported.RoundsPerSecond:0.00} rounds/s, "
                + $"mean round {reported.MeanRoundMs:0.00} ms, mean scrape {reported.MeanScrapeMs:0.000} ms, {reported.SnapshotsPerSecond:0.00} snapshots/s");
        }

        if (phase.Traffic is { } traffic)
        {
            var failures = traffic.FailureKinds.Count == 0 ? "" : $" ({string.Join(", ", traffic.FailureKinds.Select(kind => $"{kind.Key}: {kind.Value}"))})";
            parts.Add($"traffic {traffic.CompletedPerSecond:0.0} completions/s of {traffic.TargetRate:0} scheduled, {traffic.Failed} failed{failures}");
        }

        var others = phase.MachineBusyCores - phase.Collector.CpuCores - phase.SimulatorCpuCores - phase.LoadProgramCpuCores;
        parts.Add($"CPU cores: simulator {Format(phase.SimulatorCpuCores, "0.000")}, this program {phase.LoadProgramCpuCores:0.000}, "
            + $"whole machine {Format(phase.MachineBusyCores, "0.00")} of {phase.MachineCores} ({Format(others, "0.00")} outside these three processes)");
        return string.Join(Environment.NewLine + "  ", parts);
    }

    private static void PrintTable(IReadOnlyList<CostPhase> phases, CostOptions options)
    {
        Console.WriteLine($"| phase | collector CPU cores | target | CPU µs per scrape | collector RSS MiB (window max) | scrapes/s | rounds/s per endpoint (expected {1000 / options.IntervalMs:0.#}) | simulator CPU cores | load program CPU cores | machine busy cores | completions/s |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var phase in phases)
        {
            var verdict = phase.Collector.CpuCores is { } cores ? (cores <= options.TargetCores ? $"≤ {options.TargetCores} met" : $"≤ {options.TargetCores} **not met**") : "n/a";
            var scrapesPerSecond = phase.CollectorReported is { } reported ? reported.OkPerSecond + reported.FailedPerSecond : phase.Scrapes?.PerSecond;
            var rounds = phase.Scrapes?.RoundsPerSecond ?? (scrapesPerSecond / options.Instances);
            Console.WriteLine(
                $"| {phase.Phase} | {Format(phase.Collector.CpuCores, "0.000")} | {verdict} | {Format(phase.CollectorCpuMicrosecondsPerScrape, "0")} "
                + $"| {Format(phase.Collector.RssMiB, "0.0")} ({Format(phase.Collector.RssMaxInWindowMiB, "0.0")}) | {Format(scrapesPerSecond, "0")} | {Format(rounds, "0.00")} "
                + $"| {Format(phase.SimulatorCpuCores, "0.000")} | {phase.LoadProgramCpuCores:0.000} | {Format(phase.MachineBusyCores, "0.00")} of {phase.MachineCores} "
                + $"| {(phase.Traffic is { } traffic ? traffic.CompletedPerSecond.ToString("0.0", CultureInfo.InvariantCulture) : "-")} |");
        }
    }

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <param name="Timestamp">When the CPU counters were read.</param>
    private sealed record Reading(
        long Timestamp,
        long ConnectionsAt,
        long CountersAt,
        double? CollectorCpu,
        double? SimulatorCpu,
        double OwnCpu,
        double? MachineIdle,
        Dictionary<string, TcpCounters>? Connections,
        CollectorCounters? Counters,
        TrafficCounts? Traffic);
}
