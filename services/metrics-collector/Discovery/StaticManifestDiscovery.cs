using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Kubernetes.Manifests;
using Suite.Kubernetes.Resources;

namespace Suite.MetricsCollector.Discovery;

/// <summary>
/// Pools and pods from a YAML manifests file instead of the Kubernetes API: for running without a cluster.
/// The file is read once in the constructor (a bad file stops start-up) and again whenever its last-write time
/// or length changes; a bad edit keeps the previous view.
/// </summary>
public sealed class StaticManifestDiscovery : IEndpointDiscovery, IDisposable
{
    private static readonly FrozenDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> Kinds =
        new Dictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>>
        {
            [$"{V1Pod.KubeApiVersion}/{V1Pod.KubeKind}"] = json => KubernetesJson.Deserialize<V1Pod>(json),
            [$"{V1InferencePool.GroupVersion}/{V1InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1InferencePool>(json),
            [$"{V1Alpha2InferencePool.GroupVersion}/{V1Alpha2InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1Alpha2InferencePool>(json),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly ManifestFileWatch _watch;
    private volatile View _view;

    /// <exception cref="IOException">The file cannot be read; the message names it.</exception>
    /// <exception cref="InvalidDataException">The file is not valid manifests; the message names it and the line.</exception>
    public StaticManifestDiscovery(IOptions<StaticDiscoveryOptions> options, TimeProvider timeProvider, ILogger<StaticManifestDiscovery> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new ArgumentException($"{StaticDiscoveryOptions.SectionName}:{nameof(StaticDiscoveryOptions.Path)} must name a manifests file.", nameof(options));
        }

        if (settings.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{StaticDiscoveryOptions.SectionName}:{nameof(StaticDiscoveryOptions.PollInterval)} must be positive.", nameof(options));
        }

        _path = settings.Path;
        _logger = logger;
        _view = Load();
        _watch = new ManifestFileWatch(_path, settings.PollInterval, timeProvider, Reload);
    }

    public ImmutableArray<PoolTopology> Pools => _view.Pools;

    public event Action? Changed;

    /// <summary>Already complete: the constructor loaded the file.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public void Dispose() => _watch.Dispose();

    private void Reload()
    {
        View view;
        try
        {
            view = Load();
        }
        catch (Exception ex)
        {
            // Whatever a bad edit throws, the previous view stands: a timer callback that threw would end the process.
            DiscoveryLog.ManifestReloadFailed(_logger, _path, ex.Message);
            return;
        }

        var previous = _view;
        _view = view;
        if (!PoolEndpoints.AreEqual(previous.Pools, view.Pools))
        {
            Changed?.Invoke();
        }
    }

    private View Load()
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{_path} cannot be read: {ex.Message}", ex);
        }

        var contents = ManifestReader.Read(yaml, _path, Kinds);
        var pools = new List<InferencePoolView>();
        var pods = new List<V1Pod>();
        foreach (var manifest in contents.Objects)
        {
            switch (manifest.Value)
            {
                case V1Pod pod:
                    pods.Add(pod);
                    break;
                case V1InferencePool pool:
                    pools.Add(pool.ToView());
                    break;
                case V1Alpha2InferencePool pool:
                    pools.Add(pool.ToView());
                    break;
            }
        }

        foreach (var skipped in contents.Skipped)
        {
            DiscoveryLog.ManifestSkipped(_logger, _path, skipped.Line, skipped.ApiVersion, skipped.Kind, skipped.Name);
        }

        foreach (var pool in pools)
        {
            foreach (var problem in pool.Validate())
            {
                DiscoveryLog.InvalidPool(_logger, problem);
            }
        }

        var topology = PoolEndpoints.Resolve(pools, pods);
        var endpointCount = 0;
        foreach (var pool in topology)
        {
            endpointCount += pool.Endpoints.Length;
        }

        DiscoveryLog.ManifestLoaded(_logger, _path, topology.Length, endpointCount);
        return new View(topology);
    }

    // One reference swapped as a whole, so readers never see half an update.
    private sealed record View(ImmutableArray<PoolTopology> Pools);
}
