namespace Suite.Kubernetes;

/// <summary>Timing of a <see cref="ResourceWatcher{T}"/>. The defaults suit a real API server.</summary>
public sealed record ResourceWatcherOptions
{
    /// <summary>
    /// Sent as <c>timeoutSeconds</c> on every watch: the server ends the watch after this long and the watcher opens a
    /// new one from the last resourceVersion. Whole seconds, at least 1 s. Default 5 minutes.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Watchdog: a watch that delivers nothing (not even a bookmark) for this long is abandoned and opened again, since
    /// a half-open connection would otherwise hang forever. Must exceed <see cref="WatchTimeout"/>, because a healthy
    /// server ends a quiet watch at that point. Default 10 minutes (twice the default watch timeout).
    /// </summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// First retry delay ceiling after a failure. Delays use full jitter: a random value between zero and
    /// min(<see cref="BackoffCap"/>, base × 2^attempt). Default 1 second.
    /// </summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest retry delay ceiling. Default 30 seconds.</summary>
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (WatchTimeout < TimeSpan.FromSeconds(1) || WatchTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WatchTimeout), WatchTimeout, $"{nameof(ResourceWatcherOptions)}.{nameof(WatchTimeout)} must be whole seconds, at least 1 s.");
        }

        if (SilenceTimeout <= WatchTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(SilenceTimeout), SilenceTimeout, $"{nameof(ResourceWatcherOptions)}.{nameof(SilenceTimeout)} must exceed {nameof(WatchTimeout)} ({WatchTimeout}).");
        }

        if (BackoffBase <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffBase), BackoffBase, $"{nameof(ResourceWatcherOptions)}.{nameof(BackoffBase)} must be positive.");
        }

        if (BackoffCap < BackoffBase)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffCap), BackoffCap, $"{nameof(ResourceWatcherOptions)}.{nameof(BackoffCap)} must be at least {nameof(BackoffBase)} ({BackoffBase}).");
        }
    }
}
