using System.Collections.Immutable;
using Suite.Contracts.Pools;
using Suite.LocalGateway.Routing;
using Suite.Messaging;

namespace Suite.Host.Gateway;

/// <summary>
/// Each pool's endpoints from the metrics-collector's <c>pod-state</c> snapshots: what the gateway balances over
/// itself when a FailOpen pool's picker is down. The address list is rebuilt only when the endpoints change, not
/// on every scrape round.
/// </summary>
internal sealed class PodStateEndpoints : IPoolEndpoints, ITopicHandler<PoolSnapshot>
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, Entry> _pools = ImmutableDictionary.Create<string, Entry>(StringComparer.Ordinal);

    public IReadOnlyList<string> EndpointsOf(string pool) =>
        Volatile.Read(ref _pools).TryGetValue(pool, out var entry) ? entry.Addresses : [];

    /// <summary>The pool's latest endpoints (pod names and figures); empty before its first snapshot.</summary>
    public ImmutableArray<EndpointSnapshot> Latest(string pool) =>
        Volatile.Read(ref _pools).TryGetValue(pool, out var entry) ? entry.Snapshot.Endpoints : [];

    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        lock (_gate)
        {
            if (_pools.TryGetValue(payload.PoolName, out var held))
            {
                if (held.Snapshot.Version >= payload.Version)
                {
                    return Task.FromResult(DeliveryResult.Success); // late or repeated
                }

                var addresses = SameAddresses(held.Addresses, payload.Endpoints) ? held.Addresses : Addresses(payload.Endpoints);
                Volatile.Write(ref _pools, _pools.SetItem(payload.PoolName, new Entry(payload, addresses)));
            }
            else
            {
                Volatile.Write(ref _pools, _pools.SetItem(payload.PoolName, new Entry(payload, Addresses(payload.Endpoints))));
            }
        }

        return Task.FromResult(DeliveryResult.Success);
    }

    private static string[] Addresses(ImmutableArray<EndpointSnapshot> endpoints)
    {
        var addresses = new string[endpoints.Length];
        for (var i = 0; i < addresses.Length; i++)
        {
            addresses[i] = endpoints[i].Address;
        }

        return addresses;
    }

    private static bool SameAddresses(string[] held, ImmutableArray<EndpointSnapshot> endpoints)
    {
        if (held.Length != endpoints.Length)
        {
            return false;
        }

        for (var i = 0; i < held.Length; i++)
        {
            if (!string.Equals(held[i], endpoints[i].Address, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Entry(PoolSnapshot Snapshot, string[] Addresses);
}
