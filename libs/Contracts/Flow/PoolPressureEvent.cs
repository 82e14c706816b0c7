using System.Collections.Immutable;

namespace Suite.Contracts.Flow;

/// <summary>
/// How hard one pool is pushed, as the queue replica that owns it reports it on the <c>pool-pressure</c> topic:
/// published when the figures change meaningfully (at most once per pool per <c>Queue:PressureInterval</c>) and
/// again at least every <c>Queue:PressureHeartbeat</c>, so a consumer that hears nothing for longer can treat the
/// figures as unknown.
/// </summary>
/// <param name="Pool">The InferencePool's name.</param>
/// <param name="Saturation">Average pod saturation (see <see cref="PoolSaturation"/>); 1 or more is saturated, and a pool without pods is 1.</param>
/// <param name="QueueDepth">Requests of the pool waiting in the queue.</param>
/// <param name="DepthByModel">Waiting requests per target model; a model with none waiting is absent.</param>
/// <param name="DepthByBand">Waiting requests per priority band (<see cref="FlowBands"/>); a band with none waiting is absent.</param>
/// <param name="At">When the queue published these figures (they were current then), also for a heartbeat.</param>
/// <param name="Version">Increases with every event of the same pool, also across queue restarts, so late or repeated deliveries can be ignored.</param>
public sealed record PoolPressureEvent(
    string Pool,
    double Saturation,
    int QueueDepth,
    ImmutableDictionary<string, int> DepthByModel,
    ImmutableDictionary<int, int> DepthByBand,
    DateTimeOffset At,
    long Version);
