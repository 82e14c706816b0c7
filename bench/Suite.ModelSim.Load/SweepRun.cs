using System.Diagnostics;

namespace Suite.ModelSim.Load;

/// <summary>
/// The <c>sweep</c> mode: closed-loop load on one running instance at each concurrency level in turn; per level a
/// warm-up, then a measured window with the engine gauges scraped every 200 ms, then a wait until the engine is idle
/// again so the next level starts from nothing.
/// </summary>
internal static class SweepRun
{
    private static readonly TimeSpan ScrapePeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(SweepOptions options, string command, CancellationToken stopping)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var completions = new Uri(options.Target, "/v1/completions");
        var metrics = new Uri(options.Target, "/metrics");
        Console.WriteLine(
            $"sweep: {options.Target} model {options.Model}, prompts {options.PromptTokens} tokens (unique), {options.OutputTokens} output tokens "
            + $"(ignore_eos), levels {string.Join(',', options.Levels)}; per level a warm-up of at least {options.WarmupSeconds:0.#} s and until "
            + $"every worker finished two requests, then {options.Seconds:0.#} s measured; {Environment.ProcessorCount} cores shared with the simulator");

        using var http = LoadHttpClient.Create(options.Levels.Max());
        // Scrapes get their own connection pool, so a scrape never waits behind the streams it observes.
        using var scrapes = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var streamer = new CompletionStreamer(http);
        var bodies = new CompletionBodies(options.Model, options.PromptTokens);
        if (await Preflight.FailureAsync(streamer, [completions], options.Model, stopping) is { } failure)
        {
            Console.Error.WriteLine($"preflight request failed: {failure}");
            return 1;
        }

        var levels = new List<SweepLevel>();
        foreach (var concurrency in options.Levels)
        {
            var level = await RunLevelAsync(streamer, bodies, completions, metrics, scrapes, concurrency, options, stopping);
            levels.Add(level);
            Console.WriteLine(
                $"concurrency {concurrency}: warm-up {level.WarmupSeconds:0.0} s, {level.Requests.Completed} requests, {level.Requests.Errors} errors, "
                + $"{level.Requests.OutputTokensPerSecond:0} output tok/s, "
                + (level.DrainSeconds is { } drained
                    ? $"engine idle {drained:0.0} s after the streams were cancelled"
                    : $"engine NOT idle {DrainLimit.TotalSeconds:0} s after the streams were cancelled"));
        }

        Console.WriteLine();
        Console.Write(SweepTable.Format(levels));
        Console.WriteLine();
        Console.WriteLine("TTFT: send → first chunk with text. TPOT: (end-to-end − TTFT) / (tokens − 1), mean over requests. "
            + "Output tok/s: completion_tokens of requests that ended in the window / window (the JSON's streamedTokensPerSecond "
            + "counts every text chunk received in the window instead). Gauges: /metrics every 200 ms.");
        if (options.Out is { } path)
        {
            var report = new SweepReport(
                command, startedAt, MachineInfo.Current, options.Target.ToString(), options.Model, options.PromptTokens, options.OutputTokens,
                options.WarmupSeconds, options.Seconds, levels);
            ReportJson.Write(path, report, ReportJsonContext.Default.SweepReport);
        }

        return levels.All(l => l.Requests.Errors == 0 && l.DrainSeconds is not null) ? 0 : 1;
    }

    private static async Task<SweepLevel> RunLevelAsync(
        CompletionStreamer streamer,
        CompletionBodies bodies,
        Uri completions,
        Uri metrics,
        HttpClient scrapes,
        int concurrency,
        SweepOptions options,
        CancellationToken stopping)
    {
        await using var load = ClosedLoopLoad.Start(streamer, [completions], bodies, options.OutputTokens, concurrency);
        var warmedUp = await load.WarmUpAsync(TimeSpan.FromSeconds(options.WarmupSeconds), WarmupLimit, stopping);
        load.OpenWindow();
        var cpu = CpuMeter.Start(options.SimulatorPid);
        await using var sampler = MetricsSampler.Start(scrapes, metrics, ScrapePeriod);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), stopping);
        var cores = cpu.Stop();
        var engine = await sampler.StopAsync();
        var window = await load.CloseWindowAsync();
        var drained = await DrainAsync(scrapes, metrics, stopping);
        return new SweepLevel(concurrency, warmedUp, RequestStats.Of(window), engine, cores, drained);
    }

    /// <summary>Seconds until the engine reports no running and no waiting request; null if not within the limit.</summary>
    private static async Task<double?> DrainAsync(HttpClient scrapes, Uri metrics, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < DrainLimit)
        {
            if (await VllmGauges.ScrapeAsync(scrapes, metrics, stopping) is { Running: 0, Waiting: 0 })
            {
                return Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2);
            }

            await Task.Delay(ScrapePeriod, stopping);
        }

        return null;
    }
}
