using System.Collections.Immutable;
using k8s.Models;
using Suite.Contracts.Catalog;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Resolution;

/// <summary>
/// Turns the declared resources into each pool's catalog, the way the reference implementation does: invalid
/// resources and references to unknown pools are left out; when two InferenceModels of a pool claim the same
/// model name, the oldest (creation time, then namespace/name) wins. Every resource gets an Accepted condition
/// saying what happened to it; one bad resource never affects the others.
/// </summary>
internal static class CatalogResolver
{
    public static CatalogResolution Resolve(
        IEnumerable<InferencePoolView> pools,
        IEnumerable<InferenceModel> models,
        IEnumerable<InferenceObjective> objectives,
        IEnumerable<InferenceModelRewrite> rewrites)
    {
        var knownPools = pools.Select(pool => (pool.Namespace, pool.Name)).ToHashSet();
        var conditions = ImmutableDictionary.CreateBuilder<string, AcceptedCondition>(StringComparer.Ordinal);
        var modelsByPool = new Dictionary<string, Dictionary<string, CatalogModel>>(StringComparer.Ordinal);
        var declaredBy = new Dictionary<string, ImmutableDictionary<string, string>.Builder>(StringComparer.Ordinal);
        var objectivesByPool = new Dictionary<string, List<CatalogObjective>>(StringComparer.Ordinal);

        foreach (var model in models.OrderBy(m => m.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(Key, StringComparer.Ordinal))
        {
            var key = ResourceKeys.Of(InferenceModel.KubeKind, model.Metadata);
            if (Rejected(model.Validate(), model.Spec?.PoolRef, model.Metadata, knownPools) is { } rejection)
            {
                conditions[key] = rejection;
                continue;
            }

            var spec = model.Spec!;
            var pool = PoolName(spec.PoolRef!);
            var poolModels = modelsByPool.TryGetValue(pool, out var existing) ? existing : modelsByPool[pool] = new(StringComparer.Ordinal);
            if (poolModels.ContainsKey(spec.ModelName!))
            {
                conditions[key] = new AcceptedCondition(false, "ModelNameInUse",
                    $"An older InferenceModel of pool {pool} already serves the model name '{spec.ModelName}'.");
                continue;
            }

            poolModels[spec.ModelName!] = ToCatalogModel(spec);
            Declared(declaredBy, pool)[PoolCatalog.ModelKey(spec.ModelName!)] = key;
            conditions[key] = AcceptedCondition.Yes;
        }

        foreach (var objective in objectives.OrderBy(Key, StringComparer.Ordinal))
        {
            var key = ResourceKeys.Of(InferenceObjective.KubeKind, objective.Metadata);
            if (Rejected(objective.Validate(), objective.Spec?.PoolRef, objective.Metadata, knownPools) is { } rejection)
            {
                conditions[key] = rejection;
                continue;
            }

            var pool = PoolName(objective.Spec!.PoolRef!);
            (objectivesByPool.TryGetValue(pool, out var list) ? list : objectivesByPool[pool] = [])
                .Add(new CatalogObjective(objective.Metadata.Name, objective.Spec.Priority ?? 0));
            conditions[key] = AcceptedCondition.Yes;
        }

        var rewritesByPool = ResolveRewrites(rewrites, knownPools, modelsByPool, declaredBy, conditions);

        var catalogs = ImmutableDictionary.CreateBuilder<string, PoolCatalog>(StringComparer.Ordinal);
        foreach (var (_, pool) in knownPools)
        {
            catalogs[pool] = new PoolCatalog(
                [.. (modelsByPool.TryGetValue(pool, out var accepted) ? accepted.Values : Enumerable.Empty<CatalogModel>()).OrderBy(m => m.Name, StringComparer.Ordinal)],
                [.. (objectivesByPool.TryGetValue(pool, out var listed) ? listed : Enumerable.Empty<CatalogObjective>()).OrderBy(o => o.Name, StringComparer.Ordinal)],
                rewritesByPool.TryGetValue(pool, out var rewritten) ? rewritten : [])
            {
                DeclaredBy = declaredBy.TryGetValue(pool, out var declared) ? declared.ToImmutable() : ImmutableDictionary<string, string>.Empty,
            };
        }

        return new CatalogResolution(catalogs.ToImmutable(), conditions.ToImmutable());
    }

    /// <summary>
    /// Per pool, one rewrite per exact model name and at most one catch-all: the oldest object's first matching rule
    /// wins. A name an InferenceModel of the pool serves is not rewritten. A rewrite whose rules all lose is still
    /// accepted; its message says which rules are overridden and by what.
    /// </summary>
    private static Dictionary<string, ImmutableArray<CatalogRewrite>> ResolveRewrites(
        IEnumerable<InferenceModelRewrite> rewrites,
        HashSet<(string Namespace, string Name)> knownPools,
        Dictionary<string, Dictionary<string, CatalogModel>> modelsByPool,
        Dictionary<string, ImmutableDictionary<string, string>.Builder> declaredBy,
        ImmutableDictionary<string, AcceptedCondition>.Builder conditions)
    {
        var winners = new Dictionary<string, (Dictionary<string, (CatalogRewrite Rewrite, string Owner)> Exact, (CatalogRewrite Rewrite, string Owner)? CatchAll)>(StringComparer.Ordinal);
        foreach (var rewrite in rewrites.OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(Key, StringComparer.Ordinal))
        {
            var owner = ResourceKeys.Of(InferenceModelRewrite.KubeKind, rewrite.Metadata);
            if (Rejected(rewrite.Validate(), rewrite.Spec?.PoolRef, rewrite.Metadata, knownPools) is { } rejection)
            {
                conditions[owner] = rejection;
                continue;
            }

            var pool = PoolName(rewrite.Spec!.PoolRef!);
            var poolWinners = winners.TryGetValue(pool, out var held) ? held : (new(StringComparer.Ordinal), null);
            var overridden = new List<string>();
            for (var i = 0; i < rewrite.Spec.Rules!.Count; i++)
            {
                var rule = rewrite.Spec.Rules[i];
                var targets = ToTargets(rule.Targets ?? []);
                var matches = rule.Matches ?? [];
                if (matches.Count == 0)
                {
                    if (poolWinners.CatchAll is { } catchAll)
                    {
                        overridden.Add($"rule {i} (catch-all) by {catchAll.Owner}");
                    }
                    else
                    {
                        poolWinners.CatchAll = (new CatalogRewrite(null, targets), owner);
                        Declared(declaredBy, pool)[PoolCatalog.RewriteKey(null)] = owner;
                    }

                    continue;
                }

                foreach (var name in matches.Select(m => m.Model!.Value!))
                {
                    if (modelsByPool.TryGetValue(pool, out var poolModels) && poolModels.ContainsKey(name))
                    {
                        overridden.Add($"rule {i} for '{name}' by the InferenceModel that serves it");
                    }
                    else if (poolWinners.Exact.TryGetValue(name, out var earlier))
                    {
                        overridden.Add($"rule {i} for '{name}' by {(earlier.Owner == owner ? "an earlier rule" : earlier.Owner)}");
                    }
                    else
                    {
                        poolWinners.Exact[name] = (new CatalogRewrite(name, targets), owner);
                        Declared(declaredBy, pool)[PoolCatalog.RewriteKey(name)] = owner;
                    }
                }
            }

            winners[pool] = poolWinners;
            conditions[owner] = overridden.Count == 0
                ? AcceptedCondition.Yes
                : AcceptedCondition.Yes with { Message = $"{AcceptedCondition.Yes.Message} Overridden: {string.Join("; ", overridden)}." };
        }

        return winners.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Exact.Values.Select(w => w.Rewrite).OrderBy(r => r.Model, StringComparer.Ordinal)
                .Concat(pair.Value.CatchAll is { } catchAll ? [catchAll.Rewrite] : [])
                .ToImmutableArray(),
            StringComparer.Ordinal);
    }

    private static ImmutableDictionary<string, string>.Builder Declared(Dictionary<string, ImmutableDictionary<string, string>.Builder> declaredBy, string pool) =>
        declaredBy.TryGetValue(pool, out var builder) ? builder : declaredBy[pool] = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);

    private static ImmutableArray<CatalogTarget> ToTargets(IEnumerable<ModelRewriteTarget> targets) =>
        [.. targets.Select(t => new CatalogTarget(t.ModelRewrite!, t.Weight ?? 1))];

    private static AcceptedCondition? Rejected(
        ImmutableArray<string> problems, InferencePoolReference? poolRef, V1ObjectMeta metadata, HashSet<(string Namespace, string Name)> knownPools)
    {
        if (!problems.IsEmpty)
        {
            return new AcceptedCondition(false, "Invalid", string.Join("; ", problems));
        }

        var ns = ResourceKeys.NamespaceOf(metadata);
        return knownPools.Contains((ns, poolRef!.Name!))
            ? null
            : new AcceptedCondition(false, "PoolNotFound", $"spec.poolRef names InferencePool {ns}/{poolRef.Name}, which does not exist.");
    }

    private static CatalogModel ToCatalogModel(InferenceModelSpec spec)
    {
        var targets = spec.TargetModels ?? [];
        return new CatalogModel(
            spec.ModelName!,
            spec.Criticality switch
            {
                InferenceModelCriticality.Critical => Criticality.Critical,
                InferenceModelCriticality.Sheddable => Criticality.Sheddable,
                _ => Criticality.Standard,
            },
            // Weights are on all targets or on none; none means an even split.
            [.. targets.Select(t => new CatalogTarget(t.Name!, t.Weight ?? 1))]);
    }

    /// <summary>Pools are named without their namespace on the bus, as pod-state snapshots are.</summary>
    private static string PoolName(InferencePoolReference poolRef) => poolRef.Name!;

    /// <summary>The tie-break after creation time.</summary>
    private static string Key(k8s.IKubernetesObject<V1ObjectMeta> resource) => $"{ResourceKeys.NamespaceOf(resource.Metadata)}/{resource.Metadata.Name}";
}
