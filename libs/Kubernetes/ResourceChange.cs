namespace Suite.Kubernetes;

/// <summary>One object added, modified or deleted; for a deletion <paramref name="Resource"/> is its last known state.</summary>
/// <param name="Key">The object's <see cref="ResourceKey"/>.</param>
public readonly record struct ResourceChange<T>(ResourceChangeType Type, string Key, T Resource);
