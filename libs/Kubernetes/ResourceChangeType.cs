namespace Suite.Kubernetes;

/// <summary>What happened to one object in a <see cref="ResourceWatcher{T}"/>'s cache.</summary>
public enum ResourceChangeType
{
    Added,
    Modified,
    Deleted,
}
