using Suite.Contracts.Pools;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;

namespace Suite.Picker.DecisionSharing;

/// <summary>
/// Folds peer replicas' decisions into this replica's prefix-cache index, as of the batch's time. Skipped: this
/// replica's own batches, other pools', decisions hashed with another block size, and endpoints not in the current
/// pool snapshot. Recording is idempotent, so duplicates and redeliveries are acknowledged like any batch.
/// </summary>
public sealed class RoutingDecisionHandler(
    ReplicaIdentity replica, ISchedulingProfileSource profiles, IPoolState pool, PickerMetrics metrics)
    : ITopicHandler<RoutingDecisionBatch>
{
    public Task<DeliveryResult> HandleAsync(RoutingDecisionBatch payload, CancellationToken cancellationToken)
    {
        if (string.Equals(payload.ReplicaId, replica.Id, StringComparison.Ordinal)
            || !string.Equals(payload.Pool, replica.Pool, StringComparison.Ordinal)
            || profiles.Current.Prefix is not { } prefix
            || pool.Current is not { } snapshot)
        {
            return Task.FromResult(DeliveryResult.Success);
        }

        var taken = 0;
        foreach (var decision in payload.Decisions)
        {
            if (decision.BlockBytes != prefix.Settings.BlockBytes || Find(snapshot, decision.Endpoint) is not { } endpoint)
            {
                continue;
            }

            var hashes = decision.DecodeHashes();
            var count = Math.Min(hashes.Length, prefix.Settings.MaxBlocks);
            // As of the batch's time, not this delivery's: the bus may deliver it late, or again.
            prefix.Index.Record(endpoint.Address, hashes.AsSpan(0, count), prefix.Settings.CapacityOf(endpoint.Metrics), payload.At);
            taken++;
        }

        metrics.DecisionsReceived(taken);
        return Task.FromResult(DeliveryResult.Success);
    }

    private static EndpointSnapshot? Find(PoolSnapshot snapshot, string address)
    {
        foreach (var endpoint in snapshot.Endpoints)
        {
            if (string.Equals(endpoint.Address, address, StringComparison.Ordinal))
            {
                return endpoint;
            }
        }

        return null;
    }
}
