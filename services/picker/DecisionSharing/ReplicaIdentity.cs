using Microsoft.Extensions.Options;
using Suite.Picker.Hosting;
using Suite.Picker.Pools;

namespace Suite.Picker.DecisionSharing;

/// <summary>Who this replica is on the <c>routing-decisions</c> topic, and which pool it speaks for.</summary>
public sealed class ReplicaIdentity(IOptions<PickerOptions> options, IPoolState pool)
{
    public string Id { get; } = options.Value.ReplicaId is { Length: > 0 } configured
        ? configured
        : Environment.GetEnvironmentVariable("HOSTNAME") is { Length: > 0 } host ? host : $"picker-{Guid.NewGuid():N}";

    /// <summary>The pool served: <c>Picker:PoolName</c>, else the pool file's name; empty until known.</summary>
    public string Pool => options.Value.PoolName ?? pool.Current?.PoolName ?? "";
}
