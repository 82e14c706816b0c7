using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Suite.Host.CommandLine;
using Suite.Kubernetes.Manifests;
using Suite.Kubernetes.Resources;

namespace Suite.Host.Cluster;

/// <summary>
/// The cluster file as the suite host needs it: its text (copied into the manifests the services read), its
/// InferencePools in file order with their annotations, and the model names of each pool. The collector and the
/// catalog read the same file with the same reader, and they skip the kinds they do not use.
/// </summary>
internal sealed record ClusterFile(string Path, string Text, ImmutableArray<ClusterPool> Pools)
{
    private static readonly FrozenDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> Kinds =
        new Dictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>>
        {
            [$"{V1InferencePool.GroupVersion}/{V1InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1InferencePool>(json),
            [$"{V1Alpha2InferencePool.GroupVersion}/{V1Alpha2InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1Alpha2InferencePool>(json),
            [$"{InferenceModel.GroupVersion}/{InferenceModel.KubeKind}"] = json => KubernetesJson.Deserialize<InferenceModel>(json),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <exception cref="SuiteConfigurationException">The file cannot be read, is not valid manifests, or has no usable pool.</exception>
    public static ClusterFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SuiteConfigurationException($"--cluster-file: '{path}' cannot be read: {e.Message}");
        }

        return Parse(text, path);
    }

    /// <exception cref="SuiteConfigurationException">The text is not valid manifests, or has no usable pool.</exception>
    public static ClusterFile Parse(string text, string path)
    {
        ManifestContents contents;
        try
        {
            contents = ManifestReader.Read(text, path, Kinds);
        }
        catch (InvalidDataException e)
        {
            throw new SuiteConfigurationException($"--cluster-file: {e.Message}");
        }

        var pools = new List<(InferencePoolView View, V1ObjectMeta Metadata)>();
        var models = new List<InferenceModel>();
        foreach (var manifest in contents.Objects)
        {
            switch (manifest.Value)
            {
                case V1InferencePool pool:
                    pools.Add((pool.ToView(), pool.Metadata));
                    break;
                case V1Alpha2InferencePool pool:
                    pools.Add((pool.ToView(), pool.Metadata));
                    break;
                case InferenceModel model:
                    models.Add(model);
                    break;
            }
        }

        if (pools.Count == 0)
        {
            throw new SuiteConfigurationException($"--cluster-file: '{path}' has no InferencePool; the suite needs at least one.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<ClusterPool>(pools.Count);
        foreach (var (view, metadata) in pools)
        {
            if (view.Validate() is [var problem, ..])
            {
                throw new SuiteConfigurationException($"--cluster-file: {problem}.");
            }

            // A picker serves a pool by name, so two namespaces cannot both have one of the same name here.
            if (!names.Add(view.Name))
            {
                throw new SuiteConfigurationException($"--cluster-file: two InferencePools are named '{view.Name}'; each pool needs its own name.");
            }

            var annotations = metadata.Annotations is { } given
                ? given.ToFrozenDictionary(StringComparer.Ordinal)
                : FrozenDictionary<string, string>.Empty;
            result.Add(new ClusterPool(result.Count, view, annotations, ModelsOf(view, models)));
        }

        return new ClusterFile(path, text, result.MoveToImmutable());
    }

    private static string[] ModelsOf(InferencePoolView pool, List<InferenceModel> models) =>
    [
        .. models
            .Where(model => model.Spec?.PoolRef?.Name == pool.Name
                && (model.Metadata.NamespaceProperty ?? InferencePoolNormalization.DefaultNamespace) == pool.Namespace
                && !string.IsNullOrEmpty(model.Spec.ModelName))
            .Select(model => model.Spec!.ModelName!)
            .Distinct(StringComparer.Ordinal),
    ];
}
