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
        IEnumerable<InferencePoolView> pools, IEnumerable<InferenceModel> models, IEnumerable<InferenceObjective> objectives)
    {
        var knownPools = pools.Select(pool => (pool.Namespace, pool.Name)).ToHashSet();
        var conditions = ImmutableDictionary.CreateBuilder<string, AcceptedCondition>(StringComparer.Ordinal);
        var modelsByPool = new Dictionary<string, Dictionary<string, CatalogModel>>(StringComparer.Ordinal);
        var objectivesByPool = new Dictionary<string, List<CatalogObjective>>(StringComparer.Ordinal);

        foreach (var model in models.OrderBy(m => m.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(Key, StringComparer.Ordinal))
        {
            var key = "InferenceModel " + Key(model);
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
            conditions[key] = AcceptedCondition.Yes;
        }

        foreach (var objective in objectives.OrderBy(Key, StringComparer.Ordinal))
        {
            var key = "InferenceObjective " + Key(objective);
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

        var catalogs = ImmutableDictionary.CreateBuilder<string, PoolCatalog>(StringComparer.Ordinal);
        foreach (var (_, pool) in knownPools)
        {
            catalogs[pool] = new PoolCatalog(
                [.. (modelsByPool.TryGetValue(pool, out var accepted) ? accepted.Values : Enumerable.Empty<CatalogModel>()).OrderBy(m => m.Name, StringComparer.Ordinal)],
                [.. (objectivesByPool.TryGetValue(pool, out var listed) ? listed : Enumerable.Empty<CatalogObjective>()).OrderBy(o => o.Name, StringComparer.Ordinal)]);
        }

        return new CatalogResolution(catalogs.ToImmutable(), conditions.ToImmutable());
    }

    private static AcceptedCondition? Rejected(
        ImmutableArray<string> problems, InferencePoolReference? poolRef, V1ObjectMeta metadata, HashSet<(string Namespace, string Name)> knownPools)
    {
        if (!problems.IsEmpty)
        {
            return new AcceptedCondition(false, "Invalid", string.Join("; ", problems));
        }

        var ns = metadata.NamespaceProperty ?? InferencePoolNormalization.DefaultNamespace;
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

    private static string Key(k8s.IKubernetesObject<V1ObjectMeta> resource) =>
        $"{resource.Metadata.NamespaceProperty ?? InferencePoolNormalization.DefaultNamespace}/{resource.Metadata.Name}";
}
