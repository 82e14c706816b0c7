using System.Collections.Immutable;
using Suite.Bench;
using Suite.Contracts.Pools;

namespace Suite.Picker.Benchmarks;

/// <summary>The synthetic fleet as a pool snapshot, with figures measured at <paramref name="measuredAt"/>.</summary>
internal static class BenchPool
{
    public static PoolSnapshot Create(int endpoints, DateTimeOffset measuredAt)
    {
        var builder = ImmutableArray.CreateBuilder<EndpointSnapshot>(endpoints);
        foreach (var e in SyntheticFleet.Create(endpoints))
        {
            var metrics = new EndpointMetrics(
                e.Waiting, e.Running, e.KvCacheUsage, [.. e.ActiveAdapters], [.. e.WaitingAdapters], e.MaxLora, measuredAt);
            builder.Add(new EndpointSnapshot(e.Address, e.Pod, e.Model, metrics));
        }

        return new PoolSnapshot("bench-pool", 1, measuredAt, builder.MoveToImmutable());
    }
}
