using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.MetricsCollector.Hosting;
using Suite.MetricsCollector.Observability;
using Suite.Messaging;

namespace Suite.MetricsCollector.Publishing;

/// <summary>
/// Puts one pool snapshot on the <c>pod-state</c> topic per round and, at most every
/// <see cref="CollectorOptions.StateSaveInterval"/>, into the state store for pickers that start later. A failed
/// write is counted and logged and never stops the rounds: the next round brings a newer snapshot anyway.
/// </summary>
internal sealed partial class PodStatePublisher(
    IEventPublisher bus,
    IStateStore stateStore,
    IOptions<CollectorOptions> options,
    TimeProvider time,
    CollectorMetrics metrics,
    ILogger<PodStatePublisher> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _savedAt = new(StringComparer.Ordinal);

    public async Task PublishAsync(PoolSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(SuiteTopics.PodState, snapshot, cancellationToken);
            metrics.Published();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.PublishFailed("bus");
            LogPublishFailed(snapshot.PoolName, e.Message);
        }

        var now = time.GetUtcNow();
        if (_savedAt.TryGetValue(snapshot.PoolName, out var saved) && now - saved < options.Value.StateSaveInterval)
        {
            return;
        }

        try
        {
            await stateStore.SaveAsync(StateKeys.Pool(snapshot.PoolName), snapshot, options.Value.SnapshotTimeToLive, cancellationToken);
            _savedAt[snapshot.PoolName] = now;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.PublishFailed("state");
            LogSaveFailed(snapshot.PoolName, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Publishing pool {Pool}'s snapshot on pod-state failed: {Problem}")]
    private partial void LogPublishFailed(string pool, string problem);

    [LoggerMessage(2, LogLevel.Warning, "Saving pool {Pool}'s snapshot to the state store failed: {Problem}")]
    private partial void LogSaveFailed(string pool, string problem);
}
