using Suite.Catalog.Resolution;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Messaging;

namespace Suite.Catalog.Publishing;

/// <summary>
/// Publishes a pool's catalog on the <c>catalog</c> topic and saves it under <c>catalog/&lt;pool&gt;</c> whenever
/// it differs from what was last published, so pickers hear of every change once and new ones start warm.
/// Versions are microseconds since the Unix epoch (bumped when the clock has not moved), so they keep
/// increasing across catalog restarts and leader changes.
/// </summary>
internal sealed partial class CatalogPublisher(IEventPublisher bus, IStateStore stateStore, TimeProvider time, ILogger<CatalogPublisher> logger)
{
    private readonly Dictionary<string, (PoolCatalog Catalog, long Version)> _published = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    // Marks a pool to publish again whatever it holds; compared by reference.
    private static readonly PoolCatalog Unpublished = new([], [], []);

    /// <summary>Forgets what was published, so the next call publishes every pool (a new leader re-asserts the catalog).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            foreach (var pool in _published.Keys.ToArray())
            {
                // The version is kept so it still increases when the clock has not moved.
                _published[pool] = (Unpublished, _published[pool].Version);
            }
        }
    }

    /// <summary>Publishes the pools whose catalog changed (or whose last publish failed).</summary>
    public async Task<PublishOutcome> PublishChangesAsync(CatalogResolution resolution, CancellationToken cancellationToken)
    {
        var changed = new List<CatalogSnapshot>();
        lock (_lock)
        {
            foreach (var gone in _published.Keys.Where(pool => !resolution.Pools.ContainsKey(pool)).ToArray())
            {
                _published.Remove(gone);
            }

            foreach (var (pool, catalog) in resolution.Pools.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (_published.TryGetValue(pool, out var last) && !ReferenceEquals(last.Catalog, Unpublished) && SameCatalog(last.Catalog, catalog))
                {
                    continue;
                }

                var now = time.GetUtcNow();
                var version = Math.Max((last.Catalog is null ? 0 : last.Version) + 1, (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
                _published[pool] = (catalog, version);
                changed.Add(new CatalogSnapshot(pool, version, now, catalog.Models, catalog.Objectives, catalog.Rewrites));
            }
        }

        var failed = 0;
        foreach (var snapshot in changed)
        {
            try
            {
                await bus.PublishAsync(SuiteTopics.Catalog, snapshot, cancellationToken);
                await stateStore.SaveAsync(StateKeys.Catalog(snapshot.PoolName), snapshot, timeToLive: null, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Marked, so the next pass publishes this pool again.
                lock (_lock)
                {
                    _published[snapshot.PoolName] = (Unpublished, snapshot.Version);
                }

                failed++;
                LogPublishFailed(snapshot.PoolName, e.Message);
            }
        }

        return new PublishOutcome(changed.Count - failed, failed);
    }

    private static bool SameCatalog(PoolCatalog a, PoolCatalog b) =>
        a.Models.Length == b.Models.Length
        && a.Objectives.SequenceEqual(b.Objectives)
        && a.Rewrites.Length == b.Rewrites.Length
        && a.Rewrites.Zip(b.Rewrites).All(pair => pair.First.Model == pair.Second.Model && pair.First.Targets.SequenceEqual(pair.Second.Targets))
        && a.Models.Zip(b.Models).All(pair => pair.First.Name == pair.Second.Name
            && pair.First.Criticality == pair.Second.Criticality
            && pair.First.Targets.SequenceEqual(pair.Second.Targets));

    [LoggerMessage(1, LogLevel.Warning, "Publishing the catalog of pool {Pool} failed; it is published again with the next change or resync: {Problem}")]
    private partial void LogPublishFailed(string pool, string problem);
}

/// <summary>How many pools one pass published, and how many it failed to (tried again on the next pass).</summary>
internal readonly record struct PublishOutcome(int Published, int Failed);
