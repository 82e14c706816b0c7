using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>A model name clients may ask for, the pool serving it and how important its requests are.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class InferenceModel : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "inference.networking.x-k8s.io";
    public const string KubeApiVersion = "v1alpha2";
    public const string KubeKind = "InferenceModel";
    public const string KubePluralName = "inferencemodels";

    /// <summary><c>group/version</c>, the value of the <c>apiVersion</c> field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public InferenceModelSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public InferenceCatalogStatus? Status { get; set; }
}

public sealed class InferenceModelSpec
{
    /// <summary>The name in the request body's <c>model</c> field (required, at most 256 characters, immutable).</summary>
    [JsonPropertyName("modelName")]
    public string? ModelName { get; set; }

    /// <summary>One of <see cref="InferenceModelCriticality"/>; <see cref="InferenceModelCriticality.Standard"/> when unset.</summary>
    [JsonPropertyName("criticality")]
    public string? Criticality { get; set; }

    /// <summary>Models actually sent to the servers, split by weight (at most 10).</summary>
    [JsonPropertyName("targetModels")]
    public IList<TargetModel>? TargetModels { get; set; }

    [JsonPropertyName("poolRef")]
    public InferencePoolReference? PoolRef { get; set; }
}

/// <summary>A model name the request is rewritten to, such as a LoRA adapter.</summary>
public sealed class TargetModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>1–1000000, set on every target or on none; unset means an even split.</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; set; }
}

/// <summary>The values of <c>spec.criticality</c>.</summary>
public static class InferenceModelCriticality
{
    /// <summary>Never shed.</summary>
    public const string Critical = "Critical";

    /// <summary>The default when the field is unset.</summary>
    public const string Standard = "Standard";

    /// <summary>Shed first when the pool is saturated.</summary>
    public const string Sheddable = "Sheddable";
}
