using System.Diagnostics;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Queue.Overload.Observation;

/// <summary>One pod-state snapshot as the run saw it, summed over the pool's pods.</summary>
/// <param name="Saturation">The pool's saturation by the rule the picker and the queue share, default thresholds.</param>
internal readonly record struct PoolSample(long Timestamp, double Saturation, int Waiting, int Running, double MeanKvUsage, int MostWaitingOnOnePod);

/// <summary>One pool-pressure event of the queue (at most one a second, or on a change of what waits).</summary>
internal readonly record struct PressureSample(long Timestamp, int QueueDepth);

/// <summary>
/// Listens on the shared bus to what the services tell each other: every pod-state snapshot the collector
/// publishes (the figures the picker and the queue decide on) and the queue's pool-pressure events.
/// </summary>
internal sealed class PoolWatch : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<PoolSample> _pool = [];
    private readonly List<PressureSample> _pressure = [];
    private readonly IDisposable _snapshots;
    private readonly IDisposable _pressureEvents;
    private PoolSnapshot? _latest;
    private int _queueDepth;

    public PoolWatch(InMemoryBus bus)
    {
        _snapshots = bus.Subscribe(SuiteTopics.PodState, new Handler<PoolSnapshot>(OnSnapshot));
        _pressureEvents = bus.Subscribe(SuiteTopics.PoolPressure, new Handler<PoolPressureEvent>(OnPressure));
    }

    public PoolSnapshot? Latest => Volatile.Read(ref _latest);

    /// <summary>What the queue last said waits in it (0 before it said anything).</summary>
    public int QueueDepth => Volatile.Read(ref _queueDepth);

    public (PoolSample[] Pool, PressureSample[] Pressure) Between(long from, long to)
    {
        lock (_lock)
        {
            return ([.. _pool.Where(sample => sample.Timestamp >= from && sample.Timestamp <= to)],
                [.. _pressure.Where(sample => sample.Timestamp >= from && sample.Timestamp <= to)]);
        }
    }

    /// <summary>Waits for a snapshot in which every pod has been scraped and none is stale.</summary>
    public Task<bool> WaitForPodsAsync(int pods, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(snapshot => snapshot.Endpoints.Length == pods && snapshot.Endpoints.All(e => e.Metrics is { MeasuredAt: not null, Stale: false }), timeout, cancellationToken);

    /// <summary>Waits until no pod runs or queues anything and the queue has said it holds nothing.</summary>
    public Task<bool> WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(
            snapshot => QueueDepth == 0 && snapshot.Endpoints.All(e => e.Metrics is { Stale: false, RunningRequests: 0, WaitingRequests: 0 }),
            timeout,
            cancellationToken);

    public void Dispose()
    {
        _snapshots.Dispose();
        _pressureEvents.Dispose();
    }

    private async Task<bool> WaitAsync(Func<PoolSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Latest is { } snapshot && condition(snapshot))
            {
                return true;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private void OnSnapshot(PoolSnapshot snapshot)
    {
        var now = Stopwatch.GetTimestamp();
        int waiting = 0, running = 0, most = 0;
        var kv = 0.0;
        foreach (var endpoint in snapshot.Endpoints)
        {
            waiting += endpoint.Metrics.WaitingRequests;
            running += endpoint.Metrics.RunningRequests;
            kv += endpoint.Metrics.KvCacheUsage;
            most = Math.Max(most, endpoint.Metrics.WaitingRequests);
        }

        var sample = new PoolSample(
            now,
            PoolSaturation.Of(snapshot, SaturationThresholds.Default, DateTimeOffset.UtcNow),
            waiting,
            running,
            snapshot.Endpoints.Length == 0 ? 0 : kv / snapshot.Endpoints.Length,
            most);
        lock (_lock)
        {
            _pool.Add(sample);
        }

        Volatile.Write(ref _latest, snapshot);
    }

    private void OnPressure(PoolPressureEvent pressure)
    {
        var sample = new PressureSample(Stopwatch.GetTimestamp(), pressure.QueueDepth);
        lock (_lock)
        {
            _pressure.Add(sample);
        }

        Volatile.Write(ref _queueDepth, pressure.QueueDepth);
    }

    private sealed class Handler<T>(Action<T> handle) : ITopicHandler<T>
        where T : class
    {
        public Task<DeliveryResult> HandleAsync(T payload, CancellationToken cancellationToken)
        {
            handle(payload);
            return Task.FromResult(DeliveryResult.Success);
        }
    }
}
