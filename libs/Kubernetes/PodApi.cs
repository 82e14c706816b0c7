using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>Pods through the KubernetesClient: in every namespace or one, optionally filtered by a label selector.</summary>
public sealed class PodApi : IResourceApi<V1Pod>
{
    private readonly IKubernetes _client;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly int _pageSize;

    /// <param name="namespaceName">One namespace, or null for all namespaces.</param>
    /// <param name="labelSelector">E.g. <c>app=vllm,tier in (gpu)</c>; null for every pod.</param>
    /// <param name="pageSize">Objects per list page (the <c>limit</c> parameter).</param>
    public PodApi(IKubernetes client, string? namespaceName = null, string? labelSelector = null, int pageSize = 500)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        _client = client;
        _namespace = namespaceName;
        _labelSelector = labelSelector;
        _pageSize = pageSize;
        Description = "pods" + (namespaceName is null ? string.Empty : $" in namespace {namespaceName}") + (labelSelector is null ? string.Empty : $" matching {labelSelector}");
    }

    public string Description { get; }

    public async Task<ResourceList<V1Pod>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<V1Pod>();
        string? continueToken = null;
        V1PodList page;
        do
        {
            page = _namespace is null
                ? await _client.CoreV1.ListPodForAllNamespacesAsync(
                    continueParameter: continueToken, labelSelector: _labelSelector, limit: _pageSize, cancellationToken: cancellationToken)
                : await _client.CoreV1.ListNamespacedPodAsync(
                    _namespace, continueParameter: continueToken, labelSelector: _labelSelector, limit: _pageSize, cancellationToken: cancellationToken);
            items.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ResourceList<V1Pod>(items, page.Metadata?.ResourceVersion ?? string.Empty);
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(
        string resourceVersion, bool allowBookmarks, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var events = WatchStream.ReadAsync<V1Pod>(
            (onError, token) => _namespace is null
                ? _client.CoreV1.WatchListPodForAllNamespacesAsync(
                    allowWatchBookmarks: allowBookmarks, labelSelector: _labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: token)
                : _client.CoreV1.WatchListNamespacedPodAsync(
                    _namespace, allowWatchBookmarks: allowBookmarks, labelSelector: _labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: token),
            cancellationToken);
        await foreach (var watchEvent in events)
        {
            yield return watchEvent;
        }
    }
}
