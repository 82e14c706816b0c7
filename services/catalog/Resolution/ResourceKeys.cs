using k8s.Models;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Resolution;

/// <summary>How the catalog names a resource in conditions, logs and the HTTP API: <c>Kind namespace/name</c>.</summary>
internal static class ResourceKeys
{
    public static string Of(string kind, V1ObjectMeta metadata) => $"{kind} {NamespaceOf(metadata)}/{metadata.Name}";

    /// <summary>Objects from a static file may leave the namespace out.</summary>
    public static string NamespaceOf(V1ObjectMeta metadata) => metadata.NamespaceProperty ?? InferencePoolNormalization.DefaultNamespace;
}
