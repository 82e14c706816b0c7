using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Messaging;

namespace Suite.Host.Tests.EndToEnd;

/// <summary>Completes once a pod-state snapshot on the suite's bus shows the pool saturated, as the picker computes it.</summary>
internal sealed class SaturationWatch(string pool) : ITopicHandler<PoolSnapshot>
{
    private readonly TaskCompletionSource _saturated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Saturated => _saturated.Task;

    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        if (payload.PoolName == pool && PoolSaturation.Of(payload, SaturationThresholds.Default, DateTimeOffset.UtcNow) >= 1)
        {
            _saturated.TrySetResult();
        }

        return Task.FromResult(DeliveryResult.Success);
    }
}
