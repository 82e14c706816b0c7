using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>An InferencePool of the legacy experimental API group <c>inference.networking.x-k8s.io/v1alpha2</c>.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1Alpha2InferencePool : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "inference.networking.x-k8s.io";
    public const string KubeApiVersion = "v1alpha2";
    public const string KubeKind = "InferencePool";
    public const string KubePluralName = "inferencepools";

    /// <summary><c>group/version</c>, the value of the <c>apiVersion</c> field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public V1Alpha2InferencePoolSpec? Spec { get; set; }
}

public sealed class V1Alpha2InferencePoolSpec
{
    /// <summary>Pods whose labels contain all of these belong to the pool: a plain map, unlike v1's <c>matchLabels</c>.</summary>
    [JsonPropertyName("selector")]
    public IDictionary<string, string>? Selector { get; set; }

    /// <summary>The one port the model servers listen on.</summary>
    [JsonPropertyName("targetPortNumber")]
    public int? TargetPortNumber { get; set; }

    [JsonPropertyName("extensionRef")]
    public V1Alpha2ExtensionRef? ExtensionRef { get; set; }
}

/// <summary>The Service running the endpoint picker for the pool.</summary>
public sealed class V1Alpha2ExtensionRef
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>9002 when unset.</summary>
    [JsonPropertyName("portNumber")]
    public int? PortNumber { get; set; }

    /// <summary><see cref="InferencePoolFailureMode.FailOpen"/> or <see cref="InferencePoolFailureMode.FailClose"/> (the default).</summary>
    [JsonPropertyName("failureMode")]
    public string? FailureMode { get; set; }
}
