using Suite.Contracts.Pools;

namespace Suite.Contracts.Flow;

/// <summary>
/// How full a pool is, computed the same way by the queue and by every picker (so a picker knows without asking
/// whether the queue is involved at all): per pod max(waiting / queue threshold, KV use / KV threshold), a pod
/// with stale figures counts as 1 (saturated), and the pool is the average over its pods. 1 or more is saturated.
/// </summary>
public static class PoolSaturation
{
    /// <summary>The pool's saturation; a pool without endpoints is saturated (1).</summary>
    public static double Of(PoolSnapshot pool, SaturationThresholds thresholds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (pool.Endpoints.IsEmpty)
        {
            return 1;
        }

        var sum = 0.0;
        foreach (var endpoint in pool.Endpoints)
        {
            sum += OfPod(endpoint.Metrics, thresholds, now);
        }

        return sum / pool.Endpoints.Length;
    }

    /// <summary>One pod's saturation; 1 when its figures are stale.</summary>
    public static double OfPod(EndpointMetrics metrics, SaturationThresholds thresholds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (IsStale(metrics, thresholds, now))
        {
            return 1;
        }

        return Math.Max((double)metrics.WaitingRequests / thresholds.QueueDepth, metrics.KvCacheUsage / thresholds.KvCacheUsage);
    }

    public static bool IsStale(EndpointMetrics metrics, SaturationThresholds thresholds, DateTimeOffset now) =>
        metrics.Stale || (metrics.MeasuredAt is { } measured && now - measured > thresholds.StaleAfter);
}
