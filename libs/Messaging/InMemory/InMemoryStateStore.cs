using System.Collections.Concurrent;

namespace Suite.Messaging.InMemory;

/// <summary>The state store of the embedded suite; honours time-to-live against the injected clock.</summary>
public sealed class InMemoryStateStore(TimeProvider time) : IStateStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
        where T : class
    {
        _entries[key] = new Entry(value, timeToLive is { } ttl ? time.GetUtcNow() + ttl : null);
        return Task.CompletedTask;
    }

    public Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return Task.FromResult<T?>(null);
        }

        if (entry.ExpiresAt is { } expiry && time.GetUtcNow() >= expiry)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return Task.FromResult<T?>(null);
        }

        return Task.FromResult(entry.Value as T);
    }

    private sealed record Entry(object Value, DateTimeOffset? ExpiresAt);
}
