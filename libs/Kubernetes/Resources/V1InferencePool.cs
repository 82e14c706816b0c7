using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>An InferencePool of the GA API group <c>inference.networking.k8s.io/v1</c>.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1InferencePool : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "inference.networking.k8s.io";
    public const string KubeApiVersion = "v1";
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
    public V1InferencePoolSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public V1InferencePoolStatus? Status { get; set; }
}

public sealed class V1InferencePoolSpec
{
    /// <summary>Pods whose labels contain all of these belong to the pool (required, 1–64 labels).</summary>
    [JsonPropertyName("selector")]
    public V1InferencePoolSelector? Selector { get; set; }

    /// <summary>Ports the model servers listen on (1–8, unique).</summary>
    [JsonPropertyName("targetPorts")]
    public IList<V1InferencePoolPort>? TargetPorts { get; set; }

    /// <summary><c>http</c> or <c>kubernetes.io/h2c</c>.</summary>
    [JsonPropertyName("appProtocol")]
    public string? AppProtocol { get; set; }

    [JsonPropertyName("endpointPickerRef")]
    public V1EndpointPickerRef? EndpointPickerRef { get; set; }
}

/// <summary>The v1 selector: equality on labels only, no expressions.</summary>
public sealed class V1InferencePoolSelector
{
    [JsonPropertyName("matchLabels")]
    public IDictionary<string, string>? MatchLabels { get; set; }
}

public sealed class V1InferencePoolPort
{
    [JsonPropertyName("number")]
    public int Number { get; set; }
}

/// <summary>The Service running the endpoint picker for the pool.</summary>
public sealed class V1EndpointPickerRef
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    /// <summary><c>Service</c> when unset.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("port")]
    public V1InferencePoolPort? Port { get; set; }

    /// <summary><see cref="InferencePoolFailureMode.FailOpen"/> or <see cref="InferencePoolFailureMode.FailClose"/> (the default).</summary>
    [JsonPropertyName("failureMode")]
    public string? FailureMode { get; set; }
}

public sealed class V1InferencePoolStatus
{
    [JsonPropertyName("parents")]
    public IList<V1InferencePoolParentStatus>? Parents { get; set; }
}

/// <summary>The pool's state as seen by one parent Gateway.</summary>
public sealed class V1InferencePoolParentStatus
{
    /// <summary><c>Accepted</c> and <c>ResolvedRefs</c>.</summary>
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
