namespace Suite.Host.Dashboard;

/// <summary>
/// Requests per second over a sliding window, counted in 100 ms buckets so memory stays fixed whatever the rate.
/// Not thread-safe: the caller holds its lock.
/// </summary>
internal sealed class RequestRate
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private const long BucketTicks = TimeSpan.TicksPerMillisecond * 100;
    private static readonly int BucketCount = (int)(Window.Ticks / BucketTicks);

    private readonly long[] _counts = new long[BucketCount];
    private readonly long[] _buckets = new long[BucketCount];

    public RequestRate() => Array.Fill(_buckets, long.MinValue);

    public void Add(DateTimeOffset at)
    {
        var bucket = at.UtcTicks / BucketTicks;
        var slot = (int)(bucket % BucketCount);
        if (_buckets[slot] != bucket)
        {
            _buckets[slot] = bucket;
            _counts[slot] = 0;
        }

        _counts[slot]++;
    }

    /// <summary>Requests in the buckets of the last <see cref="Window"/> up to <paramref name="now"/>, per second of the window.</summary>
    public double PerSecond(DateTimeOffset now)
    {
        var current = now.UtcTicks / BucketTicks;
        long sum = 0;
        for (var slot = 0; slot < BucketCount; slot++)
        {
            if (_buckets[slot] > current - BucketCount && _buckets[slot] <= current)
            {
                sum += _counts[slot];
            }
        }

        return sum / Window.TotalSeconds;
    }
}
