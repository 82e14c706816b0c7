using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Messaging;
using Suite.Picker.Hosting;

namespace Suite.Picker.Admission;

/// <summary>
/// Whether requests of this picker's pool are waiting in the queue, from the queue's <c>pool-pressure</c> events.
/// While they are, an unsaturated pool still goes through the queue: otherwise a request that happens to arrive
/// in a dip below saturation would overtake everything waiting, whatever its priority (a Sheddable one overtaking
/// Critical ones). Figures older than <see cref="MaxAge"/> are not trusted (the queue sends a heartbeat every 30 s).
/// </summary>
public sealed class QueueBacklog(IOptions<PickerOptions> options, TimeProvider time) : ITopicHandler<PoolPressureEvent>
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(65);

    private readonly Lock _lock = new();
    private PoolPressureEvent? _latest;

    /// <summary>True when the latest recent event of the pool says something waits.</summary>
    public bool AnyWaiting => _latest is { QueueDepth: > 0 } latest && time.GetUtcNow() - latest.At <= MaxAge;

    public Task<DeliveryResult> HandleAsync(PoolPressureEvent payload, CancellationToken cancellationToken)
    {
        if (string.Equals(payload.Pool, options.Value.PoolName, StringComparison.Ordinal))
        {
            lock (_lock)
            {
                if (_latest is null || payload.Version > _latest.Version)
                {
                    _latest = payload;
                }
            }
        }

        return Task.FromResult(DeliveryResult.Success);
    }
}
