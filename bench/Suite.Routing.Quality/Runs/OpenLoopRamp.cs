using System.Diagnostics;
using System.Globalization;
using Suite.Routing.Quality.Gateway;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality.Runs;

/// <summary>What one strategy's ramp produced: every request's record and when the arrivals started and ended.</summary>
internal sealed record RampTraffic(RequestRecord[] Records, long Started, long ArrivalsEnded, long Finished, bool TimedOut);

/// <summary>
/// Sends a planned list open-loop: a dedicated thread starts each request at its due time whatever the fleet is
/// doing (so a slow strategy meets the same arrivals as a fast one), alternating between the picker replicas; then
/// waits for the stragglers up to the drain timeout and cancels what is left (recorded as unfinished).
/// </summary>
internal static class OpenLoopRamp
{
    public static async Task<RampTraffic> RunAsync(
        IReadOnlyList<GatewayClient> gateways,
        IReadOnlyList<PlannedRequest> plan,
        string runName,
        TimeSpan drainTimeout,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        var records = new RequestRecord?[plan.Count];
        var tasks = new Task[plan.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
        var paced = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < plan.Count && !stop.IsCancellationRequested; i++)
            {
                var request = plan[i];
                var due = started + (long)(request.AtSeconds * Stopwatch.Frequency);
                SleepUntil(due);
                var gateway = gateways[i % gateways.Count];
                var id = string.Create(CultureInfo.InvariantCulture, $"{runName}-{request.Index}");
                tasks[i] = Task.Run(async () => records[request.Index] = await gateway.SendAsync(request, id, due, stop.Token));
            }

            paced.SetResult(Stopwatch.GetTimestamp());
        })
        {
            IsBackground = true,
            Name = "arrivals",
            Priority = ThreadPriority.AboveNormal,
        };
        pacer.Start();

        using (var ticks = new PeriodicTimer(TimeSpan.FromSeconds(10)))
        {
            while (!paced.Task.IsCompleted)
            {
                if (await Task.WhenAny(paced.Task, ticks.WaitForNextTickAsync(cancellationToken).AsTask()) != paced.Task)
                {
                    progress(Progress(records, started, "arriving"));
                }
            }
        }

        var arrivalsEnded = await paced.Task;
        var all = Task.WhenAll(tasks.Where(task => task is not null));
        var drainEnds = Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (!all.IsCompleted && Stopwatch.GetTimestamp() < drainEnds)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0.05, (drainEnds - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            await Task.WhenAny(all, Task.Delay(left < TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10), cancellationToken));
            if (!all.IsCompleted)
            {
                progress(Progress(records, started, "draining"));
            }
        }

        var timedOut = !all.IsCompleted;
        if (timedOut)
        {
            await stop.CancelAsync();
        }

        await all;
        return new RampTraffic([.. records.Where(record => record is not null).Select(record => record!)], started, arrivalsEnded, Stopwatch.GetTimestamp(), timedOut);
    }

    /// <summary>Sleeps in steps of at most a millisecond's precision: a request starts at most ~1 ms late.</summary>
    private static void SleepUntil(long due)
    {
        while (true)
        {
            var remaining = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (remaining <= 0)
            {
                return;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(remaining, 0.5)));
        }
    }

    private static string Progress(RequestRecord?[] records, long started, string phase)
    {
        int finished = 0, completed = 0, shed = 0;
        foreach (var record in records)
        {
            if (record is null)
            {
                continue;
            }

            finished++;
            completed += record.Outcome == RequestOutcome.Completed ? 1 : 0;
            shed += record.Outcome == RequestOutcome.Shed ? 1 : 0;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"    {phase} t={Stopwatch.GetElapsedTime(started).TotalSeconds:0}s: finished {finished} (completed {completed}, shed {shed})");
    }
}
