using System.Collections.Immutable;

namespace Suite.Contracts.Pools;

/// <summary>
/// Everything known about one InferencePool's endpoints at one moment. Immutable: a writer builds a new
/// snapshot and swaps it in; readers on the request path never lock.
/// </summary>
/// <param name="Version">Increases with every snapshot of the same pool, so late or repeated deliveries can be ignored.</param>
public sealed record PoolSnapshot(
    string PoolName,
    long Version,
    DateTimeOffset TakenAt,
    ImmutableArray<EndpointSnapshot> Endpoints);
