using Suite.Contracts.Pools;
using Suite.Messaging;

namespace Suite.Queue.Admission;

/// <summary>Feeds the pools this shard owns with their pod-state snapshots; the others are acknowledged and ignored.</summary>
internal sealed class PodStateHandler(AdmissionController controller, ShardOwnership shards) : ITopicHandler<PoolSnapshot>
{
    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        if (shards.Owns(payload.PoolName))
        {
            controller.OnPoolState(payload);
        }

        return Task.FromResult(DeliveryResult.Success);
    }
}
