using System.Diagnostics;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Routing.Quality.Runs;

/// <summary>One pod-state snapshot as the run saw it: KV use averaged over the pool and on its fullest pod.</summary>
internal readonly record struct PoolSample(long Timestamp, double MeanKvUsage, double MaxKvUsage, int Waiting, int Running);

/// <summary>Listens on the shared bus to every pod-state snapshot the collector publishes (the figures the picker decides on).</summary>
internal sealed class PoolWatch : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<PoolSample> _samples = [];
    private readonly IDisposable _subscription;
    private PoolSnapshot? _latest;

    public PoolWatch(InMemoryBus bus) => _subscription = bus.Subscribe(SuiteTopics.PodState, new Handler(this));

    public PoolSample[] Between(long from, long to)
    {
        lock (_lock)
        {
            return [.. _samples.Where(sample => sample.Timestamp >= from && sample.Timestamp <= to)];
        }
    }

    /// <summary>Waits for a snapshot in which every pod has been scraped and none is stale.</summary>
    public async Task<bool> WaitForPodsAsync(int pods, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Volatile.Read(ref _latest) is { } snapshot
                && snapshot.Endpoints.Length == pods
                && snapshot.Endpoints.All(e => e.Metrics is { MeasuredAt: not null, Stale: false }))
            {
                return true;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    public void Dispose() => _subscription.Dispose();

    private void OnSnapshot(PoolSnapshot snapshot)
    {
        double sum = 0, max = 0;
        int waiting = 0, running = 0;
        foreach (var endpoint in snapshot.Endpoints)
        {
            sum += endpoint.Metrics.KvCacheUsage;
            max = Math.Max(max, endpoint.Metrics.KvCacheUsage);
            waiting += endpoint.Metrics.WaitingRequests;
            running += endpoint.Metrics.RunningRequests;
        }

        var sample = new PoolSample(Stopwatch.GetTimestamp(), snapshot.Endpoints.Length == 0 ? 0 : sum / snapshot.Endpoints.Length, max, waiting, running);
        lock (_lock)
        {
            _samples.Add(sample);
        }

        Volatile.Write(ref _latest, snapshot);
    }

    private sealed class Handler(PoolWatch watch) : ITopicHandler<PoolSnapshot>
    {
        public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
        {
            watch.OnSnapshot(payload);
            return Task.FromResult(DeliveryResult.Success);
        }
    }
}
