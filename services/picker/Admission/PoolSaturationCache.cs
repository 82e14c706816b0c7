using Suite.Contracts.Flow;
using Suite.Contracts.Pools;

namespace Suite.Picker.Admission;

/// <summary>
/// The pool's saturation, computed once per pool snapshot rather than per request. A snapshot also changes
/// meaning with time alone: when a pod's figures pass <see cref="SaturationThresholds.StaleAfter"/> it counts as
/// saturated, so the value is recomputed at the first such moment (when no newer snapshot came, which is
/// exactly when it matters).
/// </summary>
internal sealed class PoolSaturationCache(SaturationThresholds thresholds)
{
    private volatile Entry? _entry;

    public double Of(PoolSnapshot snapshot, DateTimeOffset now)
    {
        var entry = _entry;
        if (entry is null || !ReferenceEquals(entry.Snapshot, snapshot) || now.UtcTicks > entry.ValidUntilTicks)
        {
            entry = new Entry(snapshot, PoolSaturation.Of(snapshot, thresholds, now), FirstStaleness(snapshot, now));
            _entry = entry;
        }

        return entry.Saturation;
    }

    /// <summary>The last moment (UTC ticks) at which every pod that is fresh now is still fresh.</summary>
    private long FirstStaleness(PoolSnapshot snapshot, DateTimeOffset now)
    {
        var first = long.MaxValue;
        foreach (var endpoint in snapshot.Endpoints)
        {
            var metrics = endpoint.Metrics;
            if (!metrics.Stale && metrics.MeasuredAt is { } measured)
            {
                var freshUntil = (measured + thresholds.StaleAfter).UtcTicks;
                if (freshUntil >= now.UtcTicks && freshUntil < first)
                {
                    first = freshUntil;
                }
            }
        }

        return first;
    }

    private sealed record Entry(PoolSnapshot Snapshot, double Saturation, long ValidUntilTicks);
}
