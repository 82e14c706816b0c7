using System.Collections.Immutable;
using System.Net;
using Suite.Contracts.Pools;
using Suite.Picker.Configuration;

namespace Suite.Picker.Pools;

/// <summary>
/// Reads a pool snapshot from YAML: <c>pool</c> (name) and <c>endpoints[]</c> with <c>address</c> (ip:port,
/// required), <c>pod</c>, <c>model</c>, <c>waiting</c>, <c>running</c>, <c>kvCacheUsage</c>, <c>maxLora</c>,
/// <c>activeAdapters</c>, <c>waitingAdapters</c> and <c>measuredAt</c> (left out: declared figures that never go stale).
/// </summary>
public static class PoolFile
{
    public static PoolSnapshot Parse(string file, string yaml, long version, DateTimeOffset now)
    {
        var root = YamlFields.Root(file, yaml);
        var poolName = root.RequiredString("pool");
        var items = root.Mappings("endpoints");
        root.RejectUnknownKeys();

        var endpoints = ImmutableArray.CreateBuilder<EndpointSnapshot>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var address = item.RequiredString("address");
            if (!IPEndPoint.TryParse(address, out var parsed) || parsed.Port == 0)
            {
                throw item.Problem("address", null, $"must be ip:port, not '{address}'.");
            }

            if (!seen.Add(address))
            {
                throw item.Problem("address", null, $"'{address}' is listed twice.");
            }

            var metrics = new EndpointMetrics(
                WaitingRequests: item.Int("waiting", 0, 0, int.MaxValue),
                RunningRequests: item.Int("running", 0, 0, int.MaxValue),
                KvCacheUsage: item.Double("kvCacheUsage", 0, 0, 1),
                ActiveAdapters: [.. item.Strings("activeAdapters")],
                WaitingAdapters: [.. item.Strings("waitingAdapters")],
                MaxLora: item.Int("maxLora", 0, 0, 1024),
                MeasuredAt: item.Timestamp("measuredAt"));
            var pod = item.OptionalString("pod") ?? address;
            var model = item.OptionalString("model");
            item.RejectUnknownKeys();
            endpoints.Add(new EndpointSnapshot(address, pod, model, metrics));
        }

        return new PoolSnapshot(poolName, version, now, endpoints.MoveToImmutable());
    }
}
