using Microsoft.Extensions.Options;
using Suite.Contracts.Catalog;
using Suite.Messaging;
using Suite.Picker.Hosting;

namespace Suite.Picker.Catalog;

/// <summary>Takes the <c>catalog</c> events of this picker's pool; others, and old versions, are acknowledged and ignored.</summary>
public sealed partial class CatalogSnapshotHandler(CatalogStore store, IOptions<PickerOptions> options, ILogger<CatalogSnapshotHandler> logger)
    : ITopicHandler<CatalogSnapshot>
{
    public Task<DeliveryResult> HandleAsync(CatalogSnapshot payload, CancellationToken cancellationToken)
    {
        if (string.Equals(payload.PoolName, options.Value.PoolName, StringComparison.Ordinal) && !store.Publish(payload))
        {
            LogIgnored(payload.PoolName, payload.Version, store.Current?.Snapshot.Version ?? 0);
        }

        return Task.FromResult(DeliveryResult.Success);
    }

    [LoggerMessage(1, LogLevel.Debug, "Catalog of pool {Pool} version {Version} ignored: version {Held} is already held")]
    private partial void LogIgnored(string pool, long version, long held);
}
