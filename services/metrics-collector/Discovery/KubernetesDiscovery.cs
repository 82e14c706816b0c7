using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Suite.Kubernetes;
using Suite.Kubernetes.Resources;
using Suite.MetricsCollector.Hosting;

namespace Suite.MetricsCollector.Discovery;

/// <summary>
/// Pools and their pods from the Kubernetes API: three watchers (InferencePools v1, legacy v1alpha2 pools, Pods)
/// whose caches are resolved into <see cref="PoolTopology"/> on every change. Ready once every watcher has
/// listed; a pod turning unready or terminating leaves its pool with the event that says so.
/// </summary>
public sealed partial class KubernetesDiscovery : BackgroundService, IEndpointDiscovery
{
    private readonly ResourceWatcher<V1InferencePool> _pools;
    private readonly ResourceWatcher<V1Alpha2InferencePool>? _legacyPools;
    private readonly ResourceWatcher<V1Pod> _pods;
    private readonly ILogger<KubernetesDiscovery> _logger;
    private readonly Lock _resolveLock = new();
    private ImmutableArray<PoolTopology> _view = [];
    private ImmutableHashSet<string> _reportedInvalid = [];

    public KubernetesDiscovery(IKubernetes client, IOptions<CollectorOptions> options, TimeProvider time, ILogger<KubernetesDiscovery> logger)
    {
        var ns = string.IsNullOrEmpty(options.Value.Namespace) ? null : options.Value.Namespace;
        var watch = options.Value.Watch;
        _logger = logger;
        _pools = new ResourceWatcher<V1InferencePool>(
            new CustomResourceApi<V1InferencePool>(client, "inference.networking.k8s.io", "v1", "inferencepools", ns), watch, logger, time);
        if (options.Value.WatchLegacyPools)
        {
            _legacyPools = new ResourceWatcher<V1Alpha2InferencePool>(
                new CustomResourceApi<V1Alpha2InferencePool>(client, "inference.networking.x-k8s.io", "v1alpha2", "inferencepools", ns), watch, logger, time);
            _legacyPools.Changed += _ => Resolve();
        }

        _pods = new ResourceWatcher<V1Pod>(new PodApi(client, ns), watch, logger, time);
        _pools.Changed += _ => Resolve();
        _pods.Changed += _ => Resolve();
    }

    public ImmutableArray<PoolTopology> Pools => _view;

    public event Action? Changed;

    public async Task ReadyAsync(CancellationToken cancellationToken)
    {
        await _pools.ReadyAsync(cancellationToken);
        await _pods.ReadyAsync(cancellationToken);
        if (_legacyPools is not null)
        {
            await _legacyPools.ReadyAsync(cancellationToken);
        }

        Resolve();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _pools.RunAsync(stoppingToken),
        _pods.RunAsync(stoppingToken),
        _legacyPools?.RunAsync(stoppingToken) ?? Task.CompletedTask);

    private void Resolve()
    {
        if (!_pools.IsReady || !_pods.IsReady || _legacyPools is { IsReady: false })
        {
            return; // a partial first view would publish pools without their pods
        }

        lock (_resolveLock)
        {
            var views = _pools.Snapshot.Values.Select(pool => pool.ToView())
                .Concat(_legacyPools?.Snapshot.Values.Select(pool => pool.ToView()) ?? [])
                .ToArray();
            ReportInvalid(views);
            var resolved = PoolEndpoints.Resolve(views, _pods.Snapshot.Values);
            if (PoolEndpoints.AreEqual(resolved, _view))
            {
                return;
            }

            _view = resolved;
        }

        Changed?.Invoke();
    }

    private void ReportInvalid(InferencePoolView[] views)
    {
        var invalid = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            var problems = view.Validate();
            if (problems.IsEmpty)
            {
                continue;
            }

            var key = string.Join("; ", problems); // each message names the pool
            invalid.Add(key);
            if (!_reportedInvalid.Contains(key))
            {
                LogInvalidPool(key);
            }
        }

        _reportedInvalid = invalid.ToImmutable();
    }

    [LoggerMessage(1, LogLevel.Error, "{Problem}; the pool is left out until it is fixed")]
    private partial void LogInvalidPool(string problem);
}
