using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Suite.Kubernetes.Manifests;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Sources;

/// <summary>Everything the catalog resolves: pools (either version, normalised), models, objectives and rewrites.</summary>
internal sealed record CatalogResources(
    ImmutableArray<InferencePoolView> Pools,
    ImmutableArray<InferenceModel> Models,
    ImmutableArray<InferenceObjective> Objectives,
    ImmutableArray<InferenceModelRewrite> Rewrites)
{
    public static CatalogResources Empty { get; } = new([], [], [], []);

    private static readonly FrozenDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> Kinds =
        new Dictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>>
        {
            [$"{V1InferencePool.GroupVersion}/{V1InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1InferencePool>(json),
            [$"{V1Alpha2InferencePool.GroupVersion}/{V1Alpha2InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1Alpha2InferencePool>(json),
            [$"{InferenceModel.GroupVersion}/{InferenceModel.KubeKind}"] = json => KubernetesJson.Deserialize<InferenceModel>(json),
            [$"{InferenceObjective.GroupVersion}/{InferenceObjective.KubeKind}"] = json => KubernetesJson.Deserialize<InferenceObjective>(json),
            [$"{InferenceModelRewrite.GroupVersion}/{InferenceModelRewrite.KubeKind}"] = json => KubernetesJson.Deserialize<InferenceModelRewrite>(json),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Resolves these resources into per-pool catalogs and conditions.
    /// </summary>
    public Resolution.CatalogResolution Resolve() => Resolution.CatalogResolver.Resolve(Pools, Models, Objectives, Rewrites);

    /// <summary>
    /// Reads the catalog's kinds from a manifests file (the one the metrics-collector reads; Pods and other kinds
    /// are skipped). Throws <see cref="InvalidDataException"/> naming the file and line for a malformed file.
    /// </summary>
    public static CatalogResources FromManifests(string yaml, string source)
    {
        var contents = ManifestReader.Read(yaml, source, Kinds);
        var pools = ImmutableArray.CreateBuilder<InferencePoolView>();
        var models = ImmutableArray.CreateBuilder<InferenceModel>();
        var objectives = ImmutableArray.CreateBuilder<InferenceObjective>();
        var rewrites = ImmutableArray.CreateBuilder<InferenceModelRewrite>();
        foreach (var manifest in contents.Objects)
        {
            switch (manifest.Value)
            {
                case V1InferencePool pool:
                    pools.Add(pool.ToView());
                    break;
                case V1Alpha2InferencePool pool:
                    pools.Add(pool.ToView());
                    break;
                case InferenceModel model:
                    models.Add(model);
                    break;
                case InferenceObjective objective:
                    objectives.Add(objective);
                    break;
                case InferenceModelRewrite rewrite:
                    rewrites.Add(rewrite);
                    break;
            }
        }

        return new CatalogResources(pools.ToImmutable(), models.ToImmutable(), objectives.ToImmutable(), rewrites.ToImmutable());
    }
}
