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
internal sealed record PoolCatalog(ImmutableArray<CatalogModel> Models, ImmutableArray<CatalogObjective> Objectives, ImmutableArray<CatalogRewrite> Rewrites)
{
    /// <summary>
    /// Which resource declares each entry (<c>Kind namespace/name</c>), for the HTTP API: keyed by model name for
    /// models and exact rewrites (<see cref="ModelKey"/>, <see cref="RewriteKey"/>); not part of the snapshot.
    /// </summary>
    public ImmutableDictionary<string, string> DeclaredBy { get; init; } = ImmutableDictionary<string, string>.Empty;

    public static string ModelKey(string name) => "model:" + name;

    /// <summary>Null <paramref name="name"/> is the catch-all.</summary>
    public static string RewriteKey(string? name) => "rewrite:" + (name ?? "*");
}
