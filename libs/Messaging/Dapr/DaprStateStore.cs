using System.Globalization;
using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Suite.Messaging.Dapr;

/// <summary>The sidecar's state store; expiry through the per-write <c>ttlInSeconds</c> metadata.</summary>
internal sealed class DaprStateStore(DaprClient dapr, IOptions<MessagingOptions> options) : IStateStore
{
    public Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
        where T : class
    {
        var metadata = timeToLive is { } ttl
            ? new Dictionary<string, string> { ["ttlInSeconds"] = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds)).ToString(CultureInfo.InvariantCulture) }
            : null;
        return dapr.SaveStateAsync(options.Value.StateStoreName, key, value, metadata: metadata, cancellationToken: cancellationToken);
    }

    public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class =>
        await dapr.GetStateAsync<T?>(options.Value.StateStoreName, key, cancellationToken: cancellationToken);
}
