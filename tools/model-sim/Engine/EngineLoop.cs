using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Engine;

/// <summary>
/// Runs an <see cref="EngineCore"/> in time: plan a step, wait its duration, apply it, repeat while there is
/// work; sleep until a request arrives otherwise. Every call into the core goes through one lock, so HTTP
/// handlers may submit and cancel from any thread.
///
/// Engine time is simulated time: wall time × <c>speedup</c>. Steps are paced against deadlines: while the
/// engine stays busy each step ends one duration after the previous deadline, even if the timer fired late
/// (.NET timers have millisecond resolution and wake-ups add more), so the next wait is shorter and a busy
/// engine's steps average exactly their modelled duration; after idling, or when more than
/// <see cref="MaxLag"/> behind, the deadline restarts from now. A step's results carry its deadline as their
/// time, so timer jitter never skews the latencies the engine reports.
/// </summary>
internal sealed class EngineLoop : IAsyncDisposable
{
    private static readonly TimeSpan MaxLag = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly EngineCore _core;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly double _speedup;
    private readonly CancellationTokenSource _stopping = new();
    private FaultSettings _faults;
    private TaskCompletionSource? _idle;
    private Task _running = Task.CompletedTask;

    public EngineLoop(EngineCore core, TimeProvider time, double speedup, FaultSettings faults)
    {
        _core = core;
        _time = time;
        _speedup = speedup;
        _faults = faults;
        _started = time.GetTimestamp();
    }

    /// <summary>Simulated time since the engine started.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_started) * _speedup;

    public FaultSettings Faults
    {
        get => Volatile.Read(ref _faults);
        set
        {
            // Under the lock, so the loop cannot read the old faults and then miss this wake-up.
            lock (_gate)
            {
                Volatile.Write(ref _faults, value);
                _idle?.TrySetResult();
            }
        }
    }

    public void Start() => _running = RunAsync(_stopping.Token);

    public bool TrySubmit(Sequence sequence)
    {
        lock (_gate)
        {
            if (!_core.TrySubmit(sequence, Now))
            {
                return false;
            }

            _idle?.TrySetResult();
            return true;
        }
    }

    public void Cancel(Sequence sequence)
    {
        lock (_gate)
        {
            _core.Cancel(sequence, Now);
        }
    }

    /// <summary>Reads or changes the core's state under the lock (metrics, adapters).</summary>
    public T Read<T>(Func<EngineCore, T> read)
    {
        lock (_gate)
        {
            return read(_core);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var deadline = TimeSpan.Zero; // wall time since start
        var idled = true;
        while (!stopping.IsCancellationRequested)
        {
            StepPlan? plan = null;
            Task? idle = null;
            FaultSettings faults;
            lock (_gate)
            {
                faults = _faults;
                if (!faults.Paused)
                {
                    plan = _core.PlanStep(Now);
                }

                if (plan is null)
                {
                    _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    idle = _idle.Task;
                }
                else
                {
                    _idle = null;
                }
            }

            if (plan is not { } step)
            {
                await idle!.WaitAsync(stopping);
                idled = true;
                continue;
            }

            var wallNow = _time.GetElapsedTime(_started);
            var start = idled || wallNow - deadline > MaxLag ? wallNow : deadline;
            idled = false;
            deadline = start + (step.Duration * faults.Slowdown / _speedup);
            var wait = deadline - wallNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stopping);
            }

            lock (_gate)
            {
                _core.CompleteStep(deadline * _speedup);
            }
        }
    }
}
