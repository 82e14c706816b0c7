using Microsoft.Extensions.Options;
using Suite.Picker.Hosting;

namespace Suite.Picker.Pools;

/// <summary>
/// Whether the held pool snapshot is too old to route on. The metrics-collector publishes one snapshot per scrape
/// round, so one older than <see cref="PickerOptions.PoolDataExpiry"/> means the collector (or the bus) has been
/// gone that long: the picker then stops deciding, so the gateway applies the pool's <c>failureMode</c>, and
/// reports itself not ready. Pods' figures go stale one by one much earlier (the profile's <c>staleAfter</c>);
/// this is the whole pool's last resort. A pool file is declared, not measured, and never expires.
/// </summary>
public sealed class PoolDataFreshness(IPoolState pool, IOptions<PickerOptions> options, TimeProvider time)
{
    /// <summary>The snapshot's age when it has expired; null while it may be routed on (or there is none).</summary>
    public TimeSpan? ExpiredAge()
    {
        var expiry = options.Value.PoolDataExpiry;
        if (expiry <= TimeSpan.Zero || string.IsNullOrEmpty(options.Value.PoolName) || pool.Current is not { } snapshot)
        {
            return null;
        }

        var age = time.GetUtcNow() - snapshot.TakenAt;
        return age > expiry ? age : null;
    }

    /// <summary>What an expired snapshot means, for the gateway's status message, the log and the health check.</summary>
    public string Describe(TimeSpan age) =>
        $"pool {options.Value.PoolName}: the newest pod-state snapshot is {age.TotalSeconds:0.0} s old, older than " +
        $"{PickerOptions.Section}:{nameof(PickerOptions.PoolDataExpiry)} ({options.Value.PoolDataExpiry:c}); " +
        "is the metrics-collector running?";
}
