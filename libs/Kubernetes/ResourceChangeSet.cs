using System.Collections.Immutable;

namespace Suite.Kubernetes;

/// <summary>
/// The changes applied at once (one for a watch event, several for a list) and the cache snapshot they produced.
/// </summary>
/// <param name="Snapshot">Every known object by <see cref="ResourceKey"/>, after these changes.</param>
/// <param name="ResourceVersion">The resourceVersion the snapshot is at.</param>
public sealed record ResourceChangeSet<T>(
    ImmutableArray<ResourceChange<T>> Changes, ImmutableDictionary<string, T> Snapshot, string ResourceVersion);
