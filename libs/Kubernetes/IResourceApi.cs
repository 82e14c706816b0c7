using k8s;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>The two calls a <see cref="ResourceWatcher{T}"/> makes to the API server for one kind of resource.</summary>
/// <remarks>
/// Failures are exceptions: <see cref="ResourceExpiredException"/> for 410 Gone (an HTTP 410 or an ERROR event whose
/// Status has code 410), <see cref="ResourceNotServedException"/> for 404 Not Found on the collection (the same two
/// forms; the kind's CRD is not installed or was deleted), anything else for every other failure. A watch the server
/// ends normally completes the stream.
/// </remarks>
public interface IResourceApi<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>What is watched, for logs: e.g. <c>pods in namespace default</c>.</summary>
    string Description { get; }

    /// <summary>Lists every object (all pages) with the list's resourceVersion.</summary>
    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Watches from <paramref name="resourceVersion"/>; the server ends the watch after <paramref name="timeout"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, bool allowBookmarks, TimeSpan timeout, CancellationToken cancellationToken);
}
