using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Picker.Pools;

namespace Suite.Picker.Health;

/// <summary>
/// Ready once the picker holds a pool snapshot (before that it can only answer 503), and while that snapshot has
/// not expired (after that it declines every request, and the gateway applies the pool's failure mode).
/// </summary>
internal sealed class PoolSnapshotHealthCheck(IPoolState pool, PoolDataFreshness freshness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (pool.Current is not { } snapshot)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("no pool snapshot yet"));
        }

        return Task.FromResult(freshness.ExpiredAge() is { } age
            ? HealthCheckResult.Unhealthy(freshness.Describe(age))
            : HealthCheckResult.Healthy($"pool {snapshot.PoolName} v{snapshot.Version}: {snapshot.Endpoints.Length} endpoints"));
    }
}
