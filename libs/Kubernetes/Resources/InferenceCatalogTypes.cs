using System.Text.Json.Serialization;
using k8s.Models;

namespace Suite.Kubernetes.Resources;

/// <summary>The InferencePool a catalog object (model, objective, rewrite) applies to.</summary>
public sealed class InferencePoolReference
{
    public const string DefaultGroup = "inference.networking.x-k8s.io";
    public const string DefaultKind = "InferencePool";

    /// <summary><see cref="DefaultGroup"/> when unset.</summary>
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    /// <summary><see cref="DefaultKind"/> when unset.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>The status shared by the catalog kinds: conditions only.</summary>
public sealed class InferenceCatalogStatus
{
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
