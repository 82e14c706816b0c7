using System.Collections.Concurrent;
using System.Collections.Immutable;
using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

/// <summary>
/// Pool pressure set by the test: <see cref="Set"/> replaces a pool's figures and raises <see cref="Changed"/> on the
/// calling thread, as the queue's core does. Counts subscribers, so a test can see a consumer let go.
/// </summary>
internal sealed class FakePoolPressureSource : IPoolPressureSource
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, PoolPressure> _pools = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Action<PoolPressure>? _changed;
    private readonly TaskCompletionSource _unsubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<PoolPressure>? Changed
    {
        add
        {
            lock (_lock)
            {
                _changed += value;
            }
        }

        remove
        {
            lock (_lock)
            {
                _changed -= value;
                _unsubscribed.TrySetResult();
            }
        }
    }

    public IReadOnlyCollection<PoolPressure> All => [.. _pools.Values.OrderBy(p => p.Pool, StringComparer.Ordinal)];

    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _changed?.GetInvocationList().Length ?? 0;
            }
        }
    }

    /// <summary>Completes when a subscriber has let go.</summary>
    public Task Unsubscribed => _unsubscribed.Task;

    public PoolPressure? ForPool(string pool) => _pools.GetValueOrDefault(pool);

    /// <summary>The pool's new figures: its saturation and what waits, one entry per (model, band) with its count.</summary>
    public PoolPressure Set(string pool, double saturation, params (string Model, int Band, int Count)[] waiting)
    {
        var pressure = Pressure(pool, saturation, waiting);
        _pools[pool] = pressure;
        Action<PoolPressure>? changed;
        lock (_lock)
        {
            changed = _changed;
        }

        changed?.Invoke(pressure);
        return pressure;
    }

    public static PoolPressure Pressure(string pool, double saturation, params (string Model, int Band, int Count)[] waiting) =>
        new(
            pool,
            saturation,
            waiting.Sum(w => w.Count),
            waiting.GroupBy(w => w.Model).ToImmutableDictionary(g => g.Key, g => g.Sum(w => w.Count), StringComparer.Ordinal),
            waiting.GroupBy(w => w.Band).ToImmutableDictionary(g => g.Key, g => g.Sum(w => w.Count)),
            Start);
}
