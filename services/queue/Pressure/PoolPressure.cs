using System.Collections.Immutable;

namespace Suite.Queue.Pressure;

/// <summary>
/// How hard one pool is pushed right now: its saturation from the latest pod-state snapshot and what waits in the
/// queue. This is what the KEDA scaler, the Prometheus gauges and the <c>pool-pressure</c> event report.
/// </summary>
/// <param name="Saturation">Average pod saturation (1 or more is saturated); 1 before any snapshot arrived.</param>
/// <param name="QueueDepth">Requests of the pool waiting now.</param>
/// <param name="DepthByModel">Waiting requests per target model (absent: none waiting).</param>
/// <param name="DepthByBand">Waiting requests per priority band (absent: none waiting).</param>
public sealed record PoolPressure(
    string Pool,
    double Saturation,
    int QueueDepth,
    ImmutableDictionary<string, int> DepthByModel,
    ImmutableDictionary<int, int> DepthByBand,
    DateTimeOffset At)
{
    public static PoolPressure Idle(string pool, DateTimeOffset at) =>
        new(pool, 0, 0, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<int, int>.Empty, at);
}
