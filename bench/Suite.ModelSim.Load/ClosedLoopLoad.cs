using System.Diagnostics;

namespace Suite.ModelSim.Load;

/// <summary>What a measured window saw: its length, every request that ended inside it, and the text chunks streamed during it.</summary>
internal sealed record LoadWindow(double Seconds, IReadOnlyList<CompletionOutcome> Outcomes, long StreamedTokens);

/// <summary>
/// Closed-loop load: each worker sends one streaming completion, waits for it to finish, and sends the next. Worker
/// <c>i</c> always uses target <c>i mod targets</c>, so the open streams spread evenly over the instances. The caller
/// opens and closes a measured window; only requests that end inside it count, so requests cut by its edges neither
/// inflate nor dilute the rates. Closing cancels the requests still open: the simulator drops a request whose
/// client went away, so the next window starts from an idle engine.
/// </summary>
internal sealed class ClosedLoopLoad : IAsyncDisposable
{
    // A failing target would otherwise be hammered in a tight loop by every worker.
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly CompletionStreamer _streamer;
    private readonly IReadOnlyList<Uri> _targets;
    private readonly CompletionBodies _bodies;
    private readonly int _outputTokens;
    private readonly List<CompletionOutcome>[] _recorded;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _everyWorkerWarm = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task[] _workers;
    private long _windowStart = long.MaxValue;
    private long _windowStreamedAtStart;
    private int _coldWorkers;

    private ClosedLoopLoad(CompletionStreamer streamer, IReadOnlyList<Uri> targets, CompletionBodies bodies, int outputTokens, int workers)
    {
        _streamer = streamer;
        _targets = targets;
        _bodies = bodies;
        _outputTokens = outputTokens;
        _recorded = [.. Enumerable.Range(0, workers).Select(_ => new List<CompletionOutcome>())];
        _coldWorkers = workers;
        _workers = [.. Enumerable.Range(0, workers).Select(i => WorkAsync(i, _stop.Token))];
    }

    /// <summary>Starts the workers; each request asks for <paramref name="outputTokens"/> tokens, except the first of each worker (see <see cref="WorkAsync"/>).</summary>
    public static ClosedLoopLoad Start(CompletionStreamer streamer, IReadOnlyList<Uri> completionTargets, CompletionBodies bodies, int outputTokens, int workers) =>
        new(streamer, completionTargets, bodies, outputTokens, workers);

    /// <summary>
    /// Waits at least <paramref name="minimum"/>, and until every worker has finished two requests (at most
    /// <paramref name="limit"/>): the first spreads the workers out (see <see cref="WorkAsync"/>), the second may still
    /// have queued behind the burst of prefills that all workers starting at once cause. Only then does a window see
    /// the steady state; at high concurrency that takes longer than a short fixed warm-up. Returns the seconds waited.
    /// </summary>
    public async Task<double> WarmUpAsync(TimeSpan minimum, TimeSpan limit, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(minimum, stopping);
        try
        {
            await _everyWorkerWarm.Task.WaitAsync(limit - Stopwatch.GetElapsedTime(started), stopping);
        }
        catch (TimeoutException)
        {
            // Measure anyway; the report shows how long the warm-up took.
        }

        return Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
    }

    public void OpenWindow()
    {
        _windowStreamedAtStart = _streamer.TextChunks;
        Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());
    }

    /// <summary>Closes the window, cancels the requests still open and waits for the workers to stop.</summary>
    public async Task<LoadWindow> CloseWindowAsync()
    {
        var end = Stopwatch.GetTimestamp();
        var streamed = _streamer.TextChunks - _windowStreamedAtStart;
        await StopAsync();
        var start = Volatile.Read(ref _windowStart);
        var inside = _recorded.SelectMany(r => r).Where(o => o.Ended >= start && o.Ended <= end).ToList();
        return new LoadWindow((end - start) / (double)Stopwatch.Frequency, inside, streamed);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_workers);
    }

    /// <summary>
    /// One worker's loop. Its first request asks for a random number of tokens, up to the full length: with equal
    /// requests that all start together, every later round would also start together, and the engine would swing
    /// between waves of prefill and of pure decoding for as long as the load runs, so a window's figures would depend
    /// on which phase it caught. A random first length puts the workers at every stage of a request, as in a steady
    /// state; it falls in the warm-up (<see cref="WarmUpAsync"/>).
    /// </summary>
    private async Task WorkAsync(int index, CancellationToken stop)
    {
        var target = _targets[index % _targets.Count];
        var recorded = _recorded[index];
        var finished = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var outputTokens = finished == 0 ? Random.Shared.Next(1, _outputTokens + 1) : _outputTokens;
                var outcome = await _streamer.SendAsync(target, _bodies.Next(outputTokens), stop);
                if (++finished == 2 && Interlocked.Decrement(ref _coldWorkers) == 0)
                {
                    _everyWorkerWarm.TrySetResult();
                }

                if (outcome.Ended >= Volatile.Read(ref _windowStart))
                {
                    recorded.Add(outcome);
                }

                if (outcome.Error is not null)
                {
                    await Task.Delay(ErrorPause, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped between requests.
        }
    }
}
