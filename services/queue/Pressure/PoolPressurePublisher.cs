using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Messaging;

namespace Suite.Queue.Pressure;

/// <summary>
/// Publishes the pressure of every pool this replica owns on the <c>pool-pressure</c> topic: at once for a pool
/// first seen; then when it changes meaningfully (anything about what waits, saturation by
/// <see cref="PoolPressureOptions.PressureSaturationStep"/> or across 1), but at most once per
/// <see cref="PoolPressureOptions.PressureInterval"/>, later changes being coalesced into one event with the latest
/// figures; and at least every <see cref="PoolPressureOptions.PressureHeartbeat"/>. A failed publish is tried again
/// after the interval. Versions are microseconds since the Unix epoch, bumped by one when the clock has not moved,
/// so they keep increasing across restarts.
/// </summary>
internal sealed class PoolPressurePublisher(
    IPoolPressureSource source,
    IEventPublisher bus,
    PoolPressureMetrics metrics,
    IOptions<PoolPressureOptions> options,
    TimeProvider time,
    ILogger<PoolPressurePublisher> logger) : BackgroundService
{
    // Saturations are sums of ratios: a difference meant to be 0.05 may come out a hair below it.
    private const double Tolerance = 1e-9;

    // Touched by one pass at a time only.
    private readonly Dictionary<string, PoolRecord> _pools = new(StringComparer.Ordinal);

    // Changes and the timer only wake the loop; a pass then reads the current figures of every pool.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _pass;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        source.Changed += OnChanged;
        using var timer = time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                DateTimeOffset next;
                try
                {
                    next = await PublishDueAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    PressureLog.PassFailed(logger, e);
                    next = time.GetUtcNow() + options.Value.PressureInterval;
                }

                var delay = next - time.GetUtcNow();
                timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                await _wake.Reader.ReadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever changed since the last event is not worth delaying shutdown for.
        }
        finally
        {
            source.Changed -= OnChanged;
        }
    }

    /// <summary>One pass: publishes every pool that is due now; returns when the next one falls due.</summary>
    internal async Task<DateTimeOffset> PublishDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var next = now + settings.PressureHeartbeat;
        var pass = ++_pass;
        foreach (var pressure in source.All)
        {
            if (!_pools.TryGetValue(pressure.Pool, out var pool))
            {
                pool = _pools[pressure.Pool] = new PoolRecord();
            }

            pool.SeenInPass = pass;
            if (DueAt(pool, pressure, settings) <= now)
            {
                await PublishAsync(pool, pressure, now, cancellationToken);
            }

            var due = DueAt(pool, pressure, settings);
            next = due < next ? due : next;
        }

        foreach (var (name, pool) in _pools)
        {
            if (pool.SeenInPass != pass)
            {
                _pools.Remove(name);
            }
        }

        return next;
    }

    /// <summary>Whether <paramref name="current"/> is worth an event after <paramref name="published"/>.</summary>
    internal static bool Differs(PoolPressure published, PoolPressure current, double saturationStep)
    {
        var drift = Math.Abs(current.Saturation - published.Saturation);
        return current.QueueDepth != published.QueueDepth
            || !SameCounts(current.DepthByModel, published.DepthByModel)
            || !SameCounts(current.DepthByBand, published.DepthByBand)
            || (drift > 0 && drift >= saturationStep - Tolerance)
            || (current.Saturation >= 1) != (published.Saturation >= 1);
    }

    private void OnChanged(PoolPressure pressure) => Wake();

    private void Wake() => _wake.Writer.TryWrite(true);

    private static DateTimeOffset DueAt(PoolRecord pool, PoolPressure pressure, PoolPressureOptions settings)
    {
        if (pool.AttemptedAt is not { } attempted)
        {
            return DateTimeOffset.MinValue;
        }

        // Requests starting to wait are news at once: pickers stop admitting past the queue when they hear it.
        if (pool.Published is { QueueDepth: 0 } && pressure.QueueDepth > 0)
        {
            return DateTimeOffset.MinValue;
        }

        return pool.Published is not { } published || Differs(published, pressure, settings.PressureSaturationStep)
            ? attempted + settings.PressureInterval
            : attempted + settings.PressureHeartbeat;
    }

    private async Task PublishAsync(PoolRecord pool, PoolPressure pressure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fromClock = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        pool.Version = Math.Max(pool.Version + 1, fromClock);
        pool.AttemptedAt = now;
        var message = new PoolPressureEvent(
            pressure.Pool, pressure.Saturation, pressure.QueueDepth, pressure.DepthByModel, pressure.DepthByBand, now, pool.Version);
        try
        {
            await bus.PublishAsync(SuiteTopics.PoolPressure, message, cancellationToken);
            pool.Published = pressure;
            metrics.Published();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The version stays used, so the retry's is still higher than anything a consumer may have seen.
            pool.Published = null;
            metrics.PublishFailed();
            PressureLog.PublishFailed(logger, pressure.Pool, e.Message);
        }
    }

    private static bool SameCounts<TKey>(ImmutableDictionary<TKey, int> a, ImmutableDictionary<TKey, int> b)
        where TKey : notnull
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, count) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != count)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class PoolRecord
    {
        /// <summary>What the last successful event said; null before the first one and after a failed attempt.</summary>
        public PoolPressure? Published { get; set; }

        /// <summary>When an event was last attempted; null before the first.</summary>
        public DateTimeOffset? AttemptedAt { get; set; }

        public long Version { get; set; }

        public long SeenInPass { get; set; }
    }
}
