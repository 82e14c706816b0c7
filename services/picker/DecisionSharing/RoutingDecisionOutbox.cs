using System.Buffers;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Suite.Contracts.Routing;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;

namespace Suite.Picker.DecisionSharing;

/// <summary>
/// This replica's decisions waiting to be published. <see cref="Offer"/> runs on the decision path: it copies the
/// hashes into a pooled buffer under a short lock and never waits; past <see cref="PrefixSharingOptions.MaxPending"/>
/// a decision is dropped and counted, so a slow bus costs peers some affinity, never the request its latency.
/// </summary>
public sealed class RoutingDecisionOutbox(IOptions<PickerOptions> options, PickerMetrics metrics) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _pending = new();
    private readonly SemaphoreSlim _batchFull = new(0);
    private readonly int _batchSize = options.Value.Prefix.BatchSize;
    private readonly int _maxPending = options.Value.Prefix.MaxPending;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues one decision; false when the buffer is full and it was dropped.</summary>
    public bool Offer(string endpoint, int blockBytes, ReadOnlySpan<ulong> hashes)
    {
        if (hashes.IsEmpty)
        {
            return false;
        }

        var copy = ArrayPool<ulong>.Shared.Rent(hashes.Length);
        hashes.CopyTo(copy);
        bool accepted;
        bool full;
        lock (_gate)
        {
            accepted = _pending.Count < _maxPending;
            if (accepted)
            {
                _pending.Enqueue(new Pending(endpoint, blockBytes, copy, hashes.Length));
            }

            full = _pending.Count == _batchSize;
        }

        if (!accepted)
        {
            ArrayPool<ulong>.Shared.Return(copy);
            metrics.DecisionsDropped(1);
            return false;
        }

        if (full)
        {
            _batchFull.Release();
        }

        return true;
    }

    /// <summary>Up to a batch of the oldest decisions, encoded for the wire; empty when none wait.</summary>
    public ImmutableArray<RoutingDecision> TakeBatch()
    {
        var batch = ImmutableArray.CreateBuilder<RoutingDecision>();
        lock (_gate)
        {
            while (batch.Count < _batchSize && _pending.TryDequeue(out var pending))
            {
                batch.Add(new RoutingDecision(
                    pending.Endpoint, pending.BlockBytes, RoutingDecision.EncodeHashes(pending.Hashes.AsSpan(0, pending.Count))));
                ArrayPool<ulong>.Shared.Return(pending.Hashes);
            }
        }

        return batch.DrainToImmutable();
    }

    /// <summary>Completes when a full batch is waiting.</summary>
    public Task WaitForFullBatchAsync(CancellationToken cancellationToken) => _batchFull.WaitAsync(cancellationToken);

    public void Dispose() => _batchFull.Dispose();

    private readonly record struct Pending(string Endpoint, int BlockBytes, ulong[] Hashes, int Count);
}
