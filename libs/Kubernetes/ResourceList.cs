using k8s;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>A full list of one kind of resource and the resourceVersion to watch from.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion)
    where T : class, IKubernetesObject<V1ObjectMeta>;
