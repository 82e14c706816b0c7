using System.Collections.Frozen;
using Suite.Contracts.Catalog;
using Suite.LocalGateway.Routing;
using Suite.Messaging;

namespace Suite.Host.Gateway;

/// <summary>
/// The gateway's route table from the catalog (<c>catalog</c> topic): a model name goes to the pool whose catalog
/// lists it, as an InferenceModel's name or an exact InferenceModelRewrite match; a name no catalog lists goes to
/// the default pool. When two pools list a name, the one earlier in the cluster file wins, whatever order the
/// snapshots come in. Lookups read one immutable table; each snapshot builds a new one.
/// </summary>
internal sealed class CatalogModelRouter : IModelRouter, ITopicHandler<CatalogSnapshot>
{
    private readonly string[] _poolOrder;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CatalogSnapshot> _latest = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, string> _poolByModel = FrozenDictionary<string, string>.Empty;

    /// <param name="poolOrder">The cluster file's pools in file order.</param>
    public CatalogModelRouter(IEnumerable<string> poolOrder)
    {
        ArgumentNullException.ThrowIfNull(poolOrder);
        _poolOrder = [.. poolOrder];
    }

    public string? PoolFor(string? model) =>
        model is not null && _poolByModel.TryGetValue(model, out var pool) ? pool : null;

    /// <summary>The names routed to <paramref name="pool"/>, in the order its catalog lists them.</summary>
    public IReadOnlyList<string> ModelsOf(string pool)
    {
        var table = _poolByModel;
        CatalogSnapshot? snapshot;
        lock (_gate)
        {
            _latest.TryGetValue(pool, out snapshot);
        }

        return snapshot is null ? [] : [.. Names(snapshot).Where(name => table.GetValueOrDefault(name) == pool)];
    }

    public Task<DeliveryResult> HandleAsync(CatalogSnapshot payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        lock (_gate)
        {
            if (_latest.TryGetValue(payload.PoolName, out var held) && held.Version >= payload.Version)
            {
                return Task.FromResult(DeliveryResult.Success); // late or repeated
            }

            _latest[payload.PoolName] = payload;
            _poolByModel = Build();
        }

        return Task.FromResult(DeliveryResult.Success);
    }

    private FrozenDictionary<string, string> Build()
    {
        var unknownPools = _latest.Keys.Where(pool => !_poolOrder.Contains(pool)).Order(StringComparer.Ordinal);
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in _poolOrder.Concat(unknownPools))
        {
            if (_latest.TryGetValue(pool, out var snapshot))
            {
                foreach (var name in Names(snapshot))
                {
                    table.TryAdd(name, pool);
                }
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Names(CatalogSnapshot snapshot) =>
        snapshot.Models.Select(model => model.Name)
            .Concat(snapshot.Rewrites.Where(rewrite => rewrite.Model is not null).Select(rewrite => rewrite.Model!));
}
