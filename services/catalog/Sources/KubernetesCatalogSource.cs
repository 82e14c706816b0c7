using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Suite.Catalog.Hosting;
using Suite.Kubernetes;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Sources;

/// <summary>
/// The resources from the Kubernetes API: one watcher per kind (InferencePool v1 and, optionally, v1alpha2;
/// InferenceModel; InferenceObjective; InferenceModelRewrite). Ready once every watcher has listed; a kind whose
/// CRD is not installed counts as empty, so a cluster without rewrites still gets a catalog.
/// </summary>
internal sealed class KubernetesCatalogSource : BackgroundService, ICatalogSource
{
    private readonly ResourceWatcher<V1InferencePool> _pools;
    private readonly ResourceWatcher<V1Alpha2InferencePool>? _legacyPools;
    private readonly ResourceWatcher<InferenceModel> _models;
    private readonly ResourceWatcher<InferenceObjective> _objectives;
    private readonly ResourceWatcher<InferenceModelRewrite> _rewrites;
    private readonly Lock _viewLock = new();
    private volatile CatalogResources _current = CatalogResources.Empty;

    public KubernetesCatalogSource(IKubernetes client, IOptions<CatalogOptions> options, TimeProvider time, ILogger<KubernetesCatalogSource> logger)
    {
        var ns = string.IsNullOrEmpty(options.Value.Namespace) ? null : options.Value.Namespace;
        var watch = options.Value.Watch;
        _pools = Watch<V1InferencePool>(V1InferencePool.KubeGroup, V1InferencePool.KubeApiVersion, V1InferencePool.KubePluralName);
        _legacyPools = options.Value.WatchLegacyPools
            ? Watch<V1Alpha2InferencePool>(V1Alpha2InferencePool.KubeGroup, V1Alpha2InferencePool.KubeApiVersion, V1Alpha2InferencePool.KubePluralName)
            : null;
        _models = Watch<InferenceModel>(InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName);
        _objectives = Watch<InferenceObjective>(InferenceObjective.KubeGroup, InferenceObjective.KubeApiVersion, InferenceObjective.KubePluralName);
        _rewrites = Watch<InferenceModelRewrite>(InferenceModelRewrite.KubeGroup, InferenceModelRewrite.KubeApiVersion, InferenceModelRewrite.KubePluralName);

        ResourceWatcher<T> Watch<T>(string group, string version, string plural)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            var watcher = new ResourceWatcher<T>(new CustomResourceApi<T>(client, group, version, plural, ns), watch, logger, time);
            watcher.Changed += _ => Refresh();
            return watcher;
        }
    }

    public CatalogResources Current => _current;

    public event Action? Changed;

    public async Task ReadyAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            _pools.ReadyAsync(cancellationToken),
            _legacyPools?.ReadyAsync(cancellationToken) ?? Task.CompletedTask,
            _models.ReadyAsync(cancellationToken),
            _objectives.ReadyAsync(cancellationToken),
            _rewrites.ReadyAsync(cancellationToken));
        Refresh();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _pools.RunAsync(stoppingToken),
        _legacyPools?.RunAsync(stoppingToken) ?? Task.CompletedTask,
        _models.RunAsync(stoppingToken),
        _objectives.RunAsync(stoppingToken),
        _rewrites.RunAsync(stoppingToken));

    private void Refresh()
    {
        if (!_pools.IsReady || _legacyPools is { IsReady: false } || !_models.IsReady || !_objectives.IsReady || !_rewrites.IsReady)
        {
            return; // a partial first view would reject every model of a pool not listed yet
        }

        lock (_viewLock)
        {
            _current = new CatalogResources(
                [.. _pools.Snapshot.Values.Select(p => p.ToView()), .. _legacyPools?.Snapshot.Values.Select(p => p.ToView()) ?? []],
                [.. _models.Snapshot.Values],
                [.. _objectives.Snapshot.Values],
                [.. _rewrites.Snapshot.Values]);
        }

        Changed?.Invoke();
    }
}
