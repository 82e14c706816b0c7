using System.Collections.Concurrent;

namespace Suite.MetricsCollector.Publishing;

/// <summary>
/// Snapshot versions that keep increasing across collector restarts: microseconds since the Unix epoch, bumped
/// by one when the clock has not moved on (or went back), so pickers never take a new snapshot for an old one.
/// </summary>
internal sealed class PoolVersions
{
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);

    public long Next(string pool, DateTimeOffset now)
    {
        var fromClock = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        return _last.AddOrUpdate(pool, fromClock, (_, last) => Math.Max(last + 1, fromClock));
    }
}
