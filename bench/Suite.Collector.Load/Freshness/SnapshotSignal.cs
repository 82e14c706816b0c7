using Suite.Contracts.Pools;
using Suite.Messaging;

namespace Suite.Collector.Load.Freshness;

/// <summary>
/// A second subscriber of the <c>pod-state</c> topic, after the picker's: the in-memory bus calls it right after the
/// picker's store took the snapshot, so a waiting thread can sleep until there is something new to look at instead of
/// spinning (<c>--wait bus</c>).
/// </summary>
internal sealed class SnapshotSignal : ITopicHandler<PoolSnapshot>, IDisposable
{
    private readonly ManualResetEventSlim _delivered = new(false);

    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        _delivered.Set();
        return Task.FromResult(DeliveryResult.Success);
    }

    /// <summary>Blocks until <paramref name="condition"/> holds, checking it after every delivery.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Reset before checking, so a delivery between the check and the wait still wakes the wait.
            _delivered.Reset();
            if (condition())
            {
                return true;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_delivered.Wait(left))
            {
                return condition();
            }
        }
    }

    public void Dispose() => _delivered.Dispose();
}
