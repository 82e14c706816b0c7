using System.Collections.Concurrent;
using System.Collections.Immutable;
using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling.InFlight;

/// <summary>
/// Per-endpoint accounting of the requests this picker has dispatched and not yet seen finish. Endpoints are
/// keyed by address so accounting survives snapshot swaps; the per-snapshot array lookup is cached.
/// </summary>
public sealed class InFlightLoad(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EndpointLoad> _byAddress = new(StringComparer.Ordinal);
    private volatile SnapshotLoads? _cached;

    /// <summary>The load record of every endpoint in <paramref name="snapshot"/>, in the snapshot's order.</summary>
    public ImmutableArray<EndpointLoad> For(PoolSnapshot snapshot)
    {
        var cached = _cached;
        if (cached is not null && ReferenceEquals(cached.Snapshot, snapshot))
        {
            return cached.Loads;
        }

        var builder = ImmutableArray.CreateBuilder<EndpointLoad>(snapshot.Endpoints.Length);
        foreach (var endpoint in snapshot.Endpoints)
        {
            builder.Add(_byAddress.GetOrAdd(endpoint.Address, static address => new EndpointLoad(address)));
        }

        ForgetIdleEndpointsNotIn(snapshot);
        var loads = builder.MoveToImmutable();
        _cached = new SnapshotLoads(snapshot, loads);
        return loads;
    }

    public DispatchLease Dispatch(EndpointLoad load) => load.Dispatch(time.GetUtcNow().UtcTicks);

    /// <summary>Requests in flight to <paramref name="address"/>; 0 for an endpoint never dispatched to.</summary>
    public int InFlightTo(string address) => _byAddress.TryGetValue(address, out var load) ? load.InFlight : 0;

    /// <summary>The record for an address outside the current snapshot (the gateway served from a fallback).</summary>
    public EndpointLoad ForAddress(string address) =>
        _byAddress.GetOrAdd(address, static key => new EndpointLoad(key));

    private void ForgetIdleEndpointsNotIn(PoolSnapshot snapshot)
    {
        if (_byAddress.Count <= snapshot.Endpoints.Length)
        {
            return;
        }

        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in snapshot.Endpoints)
        {
            current.Add(endpoint.Address);
        }

        foreach (var (address, load) in _byAddress)
        {
            // A removed endpoint with requests still in flight keeps its record until they are released.
            if (!current.Contains(address) && load.InFlight == 0)
            {
                _byAddress.TryRemove(address, out _);
            }
        }
    }

    private sealed record SnapshotLoads(PoolSnapshot Snapshot, ImmutableArray<EndpointLoad> Loads);
}
