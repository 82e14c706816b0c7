namespace Suite.Messaging;

/// <summary>A key-value store for snapshots: the Dapr state store or the in-process one.</summary>
public interface IStateStore
{
    /// <param name="timeToLive">After this the store forgets the value; null keeps it.</param>
    Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
        where T : class;

    /// <summary>The value, or null when there is none (or it expired).</summary>
    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class;
}
