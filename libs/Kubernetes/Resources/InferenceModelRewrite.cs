using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>Rules that rewrite the requested model name to one of several weighted targets.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class InferenceModelRewrite : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "inference.networking.x-k8s.io";
    public const string KubeApiVersion = "v1alpha2";
    public const string KubeKind = "InferenceModelRewrite";
    public const string KubePluralName = "inferencemodelrewrites";

    /// <summary><c>group/version</c>, the value of the <c>apiVersion</c> field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public InferenceModelRewriteSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public InferenceCatalogStatus? Status { get; set; }
}

public sealed class InferenceModelRewriteSpec
{
    [JsonPropertyName("poolRef")]
    public InferencePoolReference? PoolRef { get; set; }

    [JsonPropertyName("rules")]
    public IList<ModelRewriteRule>? Rules { get; set; }
}

/// <summary>A rule with no matches applies to every model that no exact match claims.</summary>
public sealed class ModelRewriteRule
{
    [JsonPropertyName("matches")]
    public IList<ModelRewriteMatch>? Matches { get; set; }

    [JsonPropertyName("targets")]
    public IList<ModelRewriteTarget>? Targets { get; set; }
}

public sealed class ModelRewriteMatch
{
    [JsonPropertyName("model")]
    public ModelNameMatch? Model { get; set; }
}

public sealed class ModelNameMatch
{
    /// <summary>The only match type.</summary>
    public const string Exact = "Exact";

    /// <summary><see cref="Exact"/> when unset.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>One model the request may be rewritten to, picked at random in proportion to its weight.</summary>
public sealed class ModelRewriteTarget
{
    [JsonPropertyName("modelRewrite")]
    public string? ModelRewrite { get; set; }

    [JsonPropertyName("weight")]
    public int? Weight { get; set; }
}
