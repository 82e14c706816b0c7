using System.Collections.Immutable;
using Suite.Contracts.Catalog;

namespace Suite.Catalog.Resolution;

/// <summary>What the catalog makes of every resource: per pool what pickers apply, per resource its condition.</summary>
/// <param name="Pools">Pool name → its accepted models (by name) and objectives.</param>
/// <param name="Conditions">Resource key (<c>Kind namespace/name</c>) → its Accepted condition.</param>
internal sealed record CatalogResolution(
    ImmutableDictionary<string, PoolCatalog> Pools,
    ImmutableDictionary<string, AcceptedCondition> Conditions);

/// <summary>One pool's accepted models and objectives, sorted by name, and its rewrites (exact names sorted, then the catch-all).</summary>
internal sealed record PoolCatalog(ImmutableArray<CatalogModel> Models, ImmutableArray<CatalogObjective> Objectives, ImmutableArray<CatalogRewrite> Rewrites);
