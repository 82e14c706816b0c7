using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Suite.Contracts.Pools;
using Suite.Queue.Hosting;
using Suite.Queue.Observability;
using Suite.Queue.Pressure;
using Suite.Queue.Waiting;

namespace Suite.Queue.Admission;

/// <summary>Every pool this replica owns, created on first use (an admission request or a pod-state snapshot).</summary>
internal sealed class AdmissionController(IOptions<QueueOptions> options, TimeProvider time, QueueMetrics metrics) : IPoolPressureSource
{
    private readonly ConcurrentDictionary<string, PoolAdmission> _pools = new(StringComparer.Ordinal);

    public event Action<PoolPressure>? Changed;

    public IReadOnlyCollection<PoolPressure> All => [.. _pools.Values.Select(pool => pool.Pressure)];

    public PoolPressure? ForPool(string pool) => _pools.TryGetValue(pool, out var admission) ? admission.Pressure : null;

    public PoolAdmission For(string pool) => _pools.GetOrAdd(pool, name =>
    {
        var admission = new PoolAdmission(name, options.Value, time);
        admission.PressureChanged += pressure => Changed?.Invoke(pressure);
        admission.Decided += outcome => metrics.Decided(name, outcome);
        return admission;
    });

    public void OnPoolState(PoolSnapshot snapshot) => For(snapshot.PoolName).OnPoolState(snapshot);
}
