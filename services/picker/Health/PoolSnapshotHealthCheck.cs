using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Picker.Pools;

namespace Suite.Picker.Health;

/// <summary>Ready once the picker holds a pool snapshot; before that it can only answer 503.</summary>
internal sealed class PoolSnapshotHealthCheck(IPoolState pool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pool.Current is { } snapshot
            ? HealthCheckResult.Healthy($"pool {snapshot.PoolName} v{snapshot.Version}: {snapshot.Endpoints.Length} endpoints")
            : HealthCheckResult.Unhealthy("no pool snapshot yet"));
}
