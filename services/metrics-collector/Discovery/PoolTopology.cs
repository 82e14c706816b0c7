using System.Collections.Immutable;

namespace Suite.MetricsCollector.Discovery;

/// <summary>One scrape target: a ready pod's address on one of its pool's target ports.</summary>
/// <param name="Address"><c>ip:port</c>, the value the gateway routes to.</param>
/// <param name="EngineType">The pod's <c>inference.networking.k8s.io/engine-type</c> label; <c>vllm</c> when absent.</param>
/// <param name="MetricsPort">Port serving <c>/metrics</c>: the target port itself.</param>
public sealed record DiscoveredEndpoint(string PodName, string Address, string EngineType, int MetricsPort);

/// <summary>An InferencePool and its current endpoints (ready, not terminating, matching the selector).</summary>
/// <param name="FailOpen">The pool's endpoint picker failure mode is FailOpen.</param>
public sealed record PoolTopology(string Namespace, string Name, bool FailOpen, ImmutableArray<DiscoveredEndpoint> Endpoints);

/// <summary>Where the collector learns pools and their pods: the Kubernetes API, or a static manifests file.</summary>
public interface IEndpointDiscovery
{
    /// <summary>Every known pool with its endpoints; replaced as a whole on each change.</summary>
    ImmutableArray<PoolTopology> Pools { get; }

    /// <summary>Raised after <see cref="Pools"/> changed.</summary>
    event Action? Changed;

    /// <summary>Completes once the first full view is loaded (the first list, or the first read of the file).</summary>
    Task ReadyAsync(CancellationToken cancellationToken);
}
