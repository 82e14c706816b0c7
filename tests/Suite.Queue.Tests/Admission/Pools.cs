using System.Collections.Immutable;
using Suite.Contracts.Pools;

namespace Suite.Queue.Tests.Admission;

/// <summary>Pod-state snapshots of one pool, as the collector publishes them.</summary>
internal static class Pools
{
    public const string Name = "chat-pool";

    /// <summary>One pod per entry: (waiting requests, KV use), measured at <paramref name="measuredAt"/>.</summary>
    public static PoolSnapshot Snapshot(long version, DateTimeOffset measuredAt, params (int Waiting, double Kv)[] pods) => new(
        Name,
        version,
        measuredAt,
        [.. pods.Select((pod, i) => new EndpointSnapshot($"10.0.0.{i + 1}:8000", $"pod-{i}", "llama", new EndpointMetrics(pod.Waiting, 0, pod.Kv, [], [], 0, measuredAt)))]);

    public static PoolSnapshot Stale(long version, DateTimeOffset measuredAt, int pods) => new(
        Name,
        version,
        measuredAt,
        [.. Enumerable.Range(0, pods).Select(i => new EndpointSnapshot($"10.0.0.{i + 1}:8000", $"pod-{i}", "llama", new EndpointMetrics(0, 0, 0, [], [], 0, measuredAt) { Stale = true }))]);

    public static PoolSnapshot Empty(long version, DateTimeOffset at) => new(Name, version, at, ImmutableArray<EndpointSnapshot>.Empty);
}
