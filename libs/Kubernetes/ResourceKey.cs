using k8s;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>The cache key of an object: <c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
public static class ResourceKey
{
    public static string Of(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = resource.Metadata;
        if (string.IsNullOrEmpty(metadata?.Name))
        {
            throw new InvalidDataException($"A {resource.Kind ?? "resource"} from the API server has no metadata.name.");
        }

        return string.IsNullOrEmpty(metadata.NamespaceProperty) ? metadata.Name : metadata.NamespaceProperty + "/" + metadata.Name;
    }
}
