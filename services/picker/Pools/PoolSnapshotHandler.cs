using Microsoft.Extensions.Options;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Picker.Hosting;

namespace Suite.Picker.Pools;

/// <summary>
/// Takes the <c>pod-state</c> events of the pool this picker serves into the pool store. Events of other pools
/// and versions not newer than the held snapshot (late, repeated or out-of-order deliveries) are acknowledged and
/// ignored: redelivering them could never make them useful.
/// </summary>
public sealed partial class PoolSnapshotHandler(PoolStateStore store, IOptions<PickerOptions> options, ILogger<PoolSnapshotHandler> logger)
    : ITopicHandler<PoolSnapshot>
{
    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        if (!string.Equals(payload.PoolName, options.Value.PoolName, StringComparison.Ordinal))
        {
            return Task.FromResult(DeliveryResult.Success);
        }

        if (!store.Publish(payload))
        {
            LogIgnored(payload.PoolName, payload.Version, store.Current?.Version ?? 0);
        }

        return Task.FromResult(DeliveryResult.Success);
    }

    [LoggerMessage(1, LogLevel.Debug, "Pool {Pool} snapshot version {Version} ignored: version {Held} is already held")]
    private partial void LogIgnored(string pool, long version, long held);
}
