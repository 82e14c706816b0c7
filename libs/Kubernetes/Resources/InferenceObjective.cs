using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>
/// The successor of <see cref="InferenceModel"/>: a priority for requests naming this object
/// in the <c>x-gateway-inference-objective</c> header.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class InferenceObjective : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "inference.networking.x-k8s.io";
    public const string KubeApiVersion = "v1alpha2";
    public const string KubeKind = "InferenceObjective";
    public const string KubePluralName = "inferenceobjectives";

    /// <summary><c>group/version</c>, the value of the <c>apiVersion</c> field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public InferenceObjectiveSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public InferenceCatalogStatus? Status { get; set; }
}

public sealed class InferenceObjectiveSpec
{
    /// <summary>Higher is served first; 0 when unset, and a negative priority marks the requests sheddable.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    [JsonPropertyName("poolRef")]
    public InferencePoolReference? PoolRef { get; set; }
}
