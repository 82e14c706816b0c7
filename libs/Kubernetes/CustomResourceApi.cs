using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Suite.Kubernetes;

/// <summary>
/// Custom resources of one group/version/plural through KubernetesClient's CustomObjects API, in every namespace or
/// one, deserialized into <typeparamref name="T"/> with the client's JSON settings.
/// </summary>
public sealed class CustomResourceApi<T> : IResourceApi<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes _client;
    private readonly string _group;
    private readonly string _version;
    private readonly string _plural;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly int _pageSize;

    /// <param name="group">E.g. <c>inference.networking.k8s.io</c>.</param>
    /// <param name="version">E.g. <c>v1</c>.</param>
    /// <param name="plural">E.g. <c>inferencepools</c>.</param>
    /// <param name="namespaceName">One namespace, or null for all namespaces (and for cluster-scoped resources).</param>
    /// <param name="labelSelector">Null for every object.</param>
    /// <param name="pageSize">Objects per list page (the <c>limit</c> parameter).</param>
    public CustomResourceApi(
        IKubernetes client, string group, string version, string plural, string? namespaceName = null, string? labelSelector = null, int pageSize = 500)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        _client = client;
        _group = group;
        _version = version;
        _plural = plural;
        _namespace = namespaceName;
        _labelSelector = labelSelector;
        _pageSize = pageSize;
        Description = $"{plural}.{group}/{version}" + (namespaceName is null ? string.Empty : $" in namespace {namespaceName}") + (labelSelector is null ? string.Empty : $" matching {labelSelector}");
    }

    public string Description { get; }

    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        CustomResourceList<T> page;
        do
        {
            page = await ListPageAsync(continueToken, cancellationToken);
            items.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ResourceList<T>(items, page.Metadata?.ResourceVersion ?? string.Empty);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, bool allowBookmarks, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var events = WatchStream.ReadAsync<object>(
            (onError, token) => _namespace is null
                ? _client.CustomObjects.WatchListClusterCustomObjectAsync(
                    _group, _version, _plural, allowWatchBookmarks: allowBookmarks, labelSelector: _labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: token)
                : _client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                    _group, _version, _namespace, _plural, allowWatchBookmarks: allowBookmarks, labelSelector: _labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: token),
            cancellationToken);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (Exception e) when (ResourceNotServedException.IsNotFound(e))
            {
                // The CRD was deleted while watching, or before the watch began.
                throw NotServed(e);
            }

            if (!more)
            {
                yield break;
            }

            // The client hands custom objects over as raw JSON.
            var (type, raw) = enumerator.Current;
            var resource = raw is JsonElement json
                ? KubernetesJson.Deserialize<T>(json)
                : throw new InvalidDataException($"A {type} event for {Description} carried {raw?.GetType().Name ?? "no object"}, not JSON.");
            yield return (type, resource);
        }
    }

    private async Task<CustomResourceList<T>> ListPageAsync(string? continueToken, CancellationToken cancellationToken)
    {
        try
        {
            return _namespace is null
                ? await _client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<T>>(
                    _group, _version, _plural, continueParameter: continueToken, labelSelector: _labelSelector, limit: _pageSize, cancellationToken: cancellationToken)
                : await _client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<T>>(
                    _group, _version, _namespace, _plural, continueParameter: continueToken, labelSelector: _labelSelector, limit: _pageSize, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ResourceNotServedException.IsNotFound(e))
        {
            throw NotServed(e);
        }
    }

    private ResourceNotServedException NotServed(Exception notFound)
    {
        var detail = notFound switch
        {
            HttpOperationException http => http.Response.Content,
            KubernetesException kubernetes => kubernetes.Status?.Message,
            _ => null,
        };
        return new ResourceNotServedException($"{Description} is not served by the API server (404 Not Found): {detail ?? notFound.Message}", notFound);
    }
}
