namespace Suite.Kubernetes;

/// <summary>Exponential backoff with full jitter: each delay is uniform in [0, min(cap, base × 2^attempt)).</summary>
internal sealed class ExponentialBackoff(TimeSpan initial, TimeSpan cap, Random random)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(cap.Ticks, initial.Ticks * Math.Pow(2, _attempt));
        if (ceiling < cap.Ticks)
        {
            // Stop counting once at the cap so the power never overflows.
            _attempt++;
        }

        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling));
    }

    public void Reset() => _attempt = 0;
}
