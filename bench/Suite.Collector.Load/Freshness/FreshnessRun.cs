using System.Diagnostics;
using System.Globalization;
using System.Text;
using Suite.Collector.Load.Fleet;
using Suite.Collector.Load.Reporting;
using Suite.Contracts.Pools;

namespace Suite.Collector.Load.Freshness;

/// <summary>
/// How long a pod's queue change takes to reach the picker. Per sample: pause one pod's engine, hand it one
/// request, stamp the moment its engine queued it (waiting 0 → 1), then poll the picker's pool store until that
/// pod shows a waiting request. Then the request is taken out, the engine resumed, and the next change waits
/// until the picker shows 0 again plus a random gap, so changes land at random phases of the scrape interval.
/// The sampling runs on its own thread, since it polls without sleeping (unless <c>--wait bus</c>): a thread-pool
/// thread spinning would hold back the collector and the picker it measures.
/// </summary>
internal static class FreshnessRun
{
    public static async Task<int> RunAsync(FreshnessOptions options, string command, CancellationToken stopping)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var instruments = new CollectorInstruments();
        await using var pipeline = await EmbeddedPipeline.StartAsync(options.Pods, options.Port, options.ScrapeInterval, stopping);
        Console.WriteLine(
            $"freshness: {options.Pods} tiny model-sim instances (127.0.1.1-127.0.1.{options.Pods}:{pipeline.Port}) → collector scraping every "
            + $"{options.ScrapeInterval.TotalMilliseconds:0} ms → in-memory bus → picker, all in this process; {options.Samples} changes "
            + $"(after {options.WarmupSamples} unrecorded), each a random 0-{options.MaxGap.TotalMilliseconds:0} ms after the picker saw the previous one undone; "
            + (options.Wait == "bus"
                ? "the sampler sleeps until the bus has delivered a snapshot, then reads the picker's pool store; "
                : "the sampler polls the picker's pool store without sleeping (one core kept busy); ")
            + $"{Environment.ProcessorCount} cores");
        if (!await pipeline.WaitForFirstFullViewAsync(options.Pods, TimeSpan.FromSeconds(30), stopping))
        {
            await Console.Error.WriteLineAsync("The picker did not get a snapshot with every pod scraped within 30 s.");
            return 1;
        }

        var sampler = new Sampler(pipeline, options, instruments, stopping);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                sampler.Run();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "freshness sampler",
        };
        thread.Start();
        await done.Task;

        var result = Summarise(options, command, startedAt, sampler);
        Console.WriteLine(Describe(result));
        if (options.Out is { } path)
        {
            await ResultFiles.WriteAsync(path, result, ResultJson.Default.FreshnessResult, stopping);
            Console.WriteLine($"result written to {path}");
        }

        return sampler.Samples.Count > 0 ? 0 : 1;
    }

    private static FreshnessResult Summarise(FreshnessOptions options, string command, DateTimeOffset startedAt, Sampler sampler)
    {
        var samples = sampler.Samples;
        var activity = sampler.Activity!;
        var interval = options.ScrapeInterval.TotalMilliseconds;
        ExpectedDelay? expected = activity is { RoundMs: { } round, ScrapeMs: { } scrape }
            ? new ExpectedDelay(
                Math.Round((interval / 2) + Math.Max(0, round.Mean - scrape.Mean), 2),
                Math.Round((interval / 2) + round.Mean, 2),
                Math.Round(interval + round.Max, 2),
                $"a change waits for the next scrape of its pod to read the page ({interval / 2:0.#} ms on average over the {interval:0} ms "
                + $"interval, {interval:0} ms at most), then for that round to end and publish: on average between the mean round less a mean "
                + $"scrape ({round.Mean:0.00} - {scrape.Mean:0.00} ms) and the mean round, at worst the longest round ({round.Max:0.00} ms); "
                + "the in-memory bus hands the snapshot to the picker in the publishing call")
            : null;
        return new FreshnessResult(
            command,
            startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            new FreshnessSettings(options.Pods, options.Samples, options.WarmupSamples, interval, options.MaxGap.TotalMilliseconds, sampler.Port, options.Seed, options.Wait),
            Distribution.Of(samples.Select(s => s.DelayMs)),
            Distribution.Of(samples.Select(s => s.ScrapedMs)),
            Distribution.Of(samples.Select(s => s.PublishedMs - s.ScrapedMs)),
            Distribution.Of(samples.Select(s => s.DelayMs - s.PublishedMs)),
            Distribution.Of(samples.Select(s => s.StampUncertaintyMs)),
            expected,
            activity,
            sampler.TimedOut,
            samples);
    }

    private static string Describe(FreshnessResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"samples {result.Samples.Count}, timed out {result.TimedOut}");
        text.AppendLine(CultureInfo.InvariantCulture, $"queue change → picker sees it, ms: {result.DelayMs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  change → scrape that read it done:   {result.ChangeToScrapedMs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  scrape done → snapshot published:     {result.ScrapedToPublishedMs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  published → seen in the pool store:   {result.PublishedToSeenMs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"uncertainty of the change's stamp (the engine's submit call, stamped on both sides), ms: {result.StampUncertaintyMs}");
        var c = result.Collector;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"collector while sampling ({c.Seconds:0.0} s): {c.RoundsPerSecond:0.00} rounds/s (interval {result.Settings.ScrapeIntervalMs:0} ms), "
            + $"{c.ScrapesPerSecond:0.0} scrapes/s, {c.FailedScrapes} failed, {c.SnapshotsPerSecond:0.00} snapshots/s");
        text.AppendLine(CultureInfo.InvariantCulture, $"  scrape duration ms: {c.ScrapeMs}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  round duration ms:  {c.RoundMs}");
        if (result.Expected is { } expected)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"expected: mean {expected.MeanLowMs:0.0}-{expected.MeanHighMs:0.0} ms, worst ≈ {expected.WorstMs:0.0} ms: {expected.Reasoning}");
        }

        text.Append("| interval ms | pods | samples | p50 ms | p90 ms | p99 ms | max ms | mean ms | expected mean / worst ms |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        if (result.DelayMs is { } d)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {result.Settings.ScrapeIntervalMs:0} | {result.Settings.Pods} | {d.Count} | {d.P50:0.0} | {d.P90:0.0} | {d.P99:0.0} | {d.Max:0.0} | {d.Mean:0.0} "
                + $"| {result.Expected?.MeanLowMs:0.0}-{result.Expected?.MeanHighMs:0.0} / {result.Expected?.WorstMs:0.0} |");
        }

        return text.ToString();
    }

    /// <summary>Takes the samples on a dedicated thread, blocking and spinning freely.</summary>
    private sealed class Sampler(EmbeddedPipeline pipeline, FreshnessOptions options, CollectorInstruments instruments, CancellationToken stopping)
    {
        private readonly Random _random = new(options.Seed);

        public List<FreshnessSample> Samples { get; } = [];

        public int TimedOut { get; private set; }

        public CollectorActivity? Activity { get; private set; }

        public int Port => pipeline.Port;

        public void Run()
        {
            for (var i = 0; i < options.WarmupSamples; i++)
            {
                _ = TakeSample();
            }

            TimedOut = 0;
            instruments.StartRecording();
            while (Samples.Count < options.Samples && TimedOut < Math.Max(10, options.Samples / 10))
            {
                if (TakeSample() is { } sample)
                {
                    Samples.Add(sample);
                }
            }

            Activity = instruments.StopRecording();
        }

        private FreshnessSample? TakeSample()
        {
            stopping.ThrowIfCancellationRequested();
            Thread.Sleep(TimeSpan.FromMilliseconds(_random.NextDouble() * options.MaxGap.TotalMilliseconds));
            var pod = _random.Next(options.Pods);
            var address = PoolManifests.Address(pod, pipeline.Port);
            var pickerTimeout = TimeSpan.FromMilliseconds(Math.Max(1000, 20 * options.ScrapeInterval.TotalMilliseconds));

            // Paused, the engine keeps the request waiting instead of running it at its next step.
            pipeline.SetPaused(pod, true);
            if (!pipeline.TryQueueRequest(pod, out var submitting, out var changedAt, out var remove))
            {
                pipeline.SetPaused(pod, false);
                TimedOut++;
                return null;
            }

            var changedUtc = DateTimeOffset.UtcNow;
            FreshnessSample? sample = null;
            try
            {
                EndpointSnapshot? seen = null;
                PoolSnapshot? snapshot = null;
                bool Seen() => (seen = Find(snapshot = pipeline.PoolState.Current, address)) is { Metrics.WaitingRequests: >= 1 };
                if (!(options.Wait == "bus" ? pipeline.Delivered.WaitUntil(Seen, pickerTimeout) : SpinUntil(Seen, pickerTimeout)))
                {
                    TimedOut++;
                    return null;
                }

                var delay = Stopwatch.GetElapsedTime(changedAt).TotalMilliseconds;
                var measuredAt = seen!.Metrics.MeasuredAt ?? snapshot!.TakenAt;
                sample = new FreshnessSample(
                    pod,
                    Math.Round(delay, 3),
                    Math.Round((measuredAt - changedUtc).TotalMilliseconds, 3),
                    Math.Round((snapshot!.TakenAt - changedUtc).TotalMilliseconds, 3),
                    Math.Round(Stopwatch.GetElapsedTime(submitting, changedAt).TotalMilliseconds, 3));
            }
            finally
            {
                // Undo: the request leaves the engine, the engine resumes, and the picker must show the pod idle again
                // before the next change starts.
                remove();
                pipeline.SetPaused(pod, false);
                if (!SleepUntil(() => pipeline.EngineWaiting(pod) == 0 && Find(pipeline.PoolState.Current, address) is { Metrics.WaitingRequests: 0 }, pickerTimeout))
                {
                    sample = null;
                    TimedOut++;
                }
            }

            return sample;
        }

        private static EndpointSnapshot? Find(PoolSnapshot? pool, string address)
        {
            if (pool is null)
            {
                return null;
            }

            foreach (var endpoint in pool.Endpoints)
            {
                if (endpoint.Address == address)
                {
                    return endpoint;
                }
            }

            return null;
        }

        private static bool SpinUntil(Func<bool> condition, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            var spinner = default(SpinWait);
            while (!condition())
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    return false;
                }

                // Spins, then yields the core to any thread that wants it; never sleeps a whole millisecond.
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            return true;
        }

        private static bool SleepUntil(Func<bool> condition, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (!condition())
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    return false;
                }

                Thread.Sleep(1);
            }

            return true;
        }
    }
}
