using System.Text.Json.Serialization;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>The JSON of a custom resource list: <c>{apiVersion, kind, metadata: {resourceVersion, continue}, items: [...]}</c>.</summary>
internal sealed class CustomResourceList<T>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<T>? Items { get; set; }
}
