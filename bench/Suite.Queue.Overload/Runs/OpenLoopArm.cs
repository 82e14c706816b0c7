using System.Diagnostics;
using System.Globalization;
using Suite.Queue.Overload.Embedded;
using Suite.Queue.Overload.Gateway;
using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload.Runs;

/// <summary>What one arm's traffic produced, with the window it ran in (<see cref="Stopwatch"/> timestamps).</summary>
internal sealed record ArmTraffic(RequestRecord[] Records, long Started, long ArrivalsEnded, long Finished, bool DrainTimedOut);

/// <summary>
/// Replays the schedule open loop against one picker: request <c>i</c> is started at its arrival time whatever
/// happened to the earlier ones (a dedicated thread sleeps until each is due), so a slow system shows as longer
/// times, never as fewer requests. Then waits for every request to finish, up to the drain timeout, after which
/// the rest are cancelled and counted as such.
/// </summary>
internal static class OpenLoopArm
{
    public static async Task<ArmTraffic> RunAsync(
        GatewayClient gateway,
        IReadOnlyList<ScheduledArrival> schedule,
        ChatBodies bodies,
        int phase,
        TimeSpan drainTimeout,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        var records = new RequestRecord?[schedule.Count];
        var tasks = new Task[schedule.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
        var paced = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < schedule.Count && !stop.IsCancellationRequested; i++)
            {
                var arrival = schedule[i];
                var due = started + (long)(arrival.AtSeconds * Stopwatch.Frequency);
                SleepUntil(due);
                tasks[i] = Task.Run(async () => records[arrival.Index] = await SendOneAsync(gateway, bodies, phase, arrival, due, stop.Token));
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
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
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
        return new ArmTraffic([.. records.Where(record => record is not null).Select(record => record!)], started, arrivalsEnded, Stopwatch.GetTimestamp(), timedOut);
    }

    private static async Task<RequestRecord> SendOneAsync(
        GatewayClient gateway, ChatBodies bodies, int phase, ScheduledArrival arrival, long due, CancellationToken cancellationToken)
    {
        var model = arrival.Class == RequestClass.Critical ? SuiteManifests.CriticalModel : SuiteManifests.SheddableModel;
        var body = bodies.Create(model, phase, arrival.Index, arrival.OutputTokens);
        var requestId = string.Create(CultureInfo.InvariantCulture, $"overload-{phase}-{arrival.Index}");
        try
        {
            return await gateway.SendAsync(arrival, body, requestId, due, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // A request the client could not carry through is one failed request; the run goes on.
            return new RequestRecord(arrival.Index, arrival.AtSeconds, arrival.Class, RequestOutcome.Failed, $"{e.GetType().Name}: {e.Message}", 0, null, null, null, 0, 0, null);
        }
    }

    /// <summary>Sleeps in steps of at most a millisecond's precision: a request starts at most ~1 ms late, and the lag is recorded.</summary>
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
        int finished = 0, completed = 0, turnedAway = 0;
        foreach (var record in records)
        {
            if (record is null)
            {
                continue;
            }

            finished++;
            if (record.Outcome == RequestOutcome.Completed)
            {
                completed++;
            }
            else if (record.Outcome is RequestOutcome.Shed or RequestOutcome.QueueFull or RequestOutcome.Expired)
            {
                turnedAway++;
            }
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"    {phase} t={Stopwatch.GetElapsedTime(started).TotalSeconds:0}s: finished {finished} (completed {completed}, 429/503 from the picker {turnedAway})");
    }
}
