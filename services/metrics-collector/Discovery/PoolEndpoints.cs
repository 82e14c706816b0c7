using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;
using Suite.Kubernetes.Resources;

namespace Suite.MetricsCollector.Discovery;

/// <summary>
/// Which pods serve which pool: the one rule set shared by the Kubernetes watch and the static file,
/// so both modes agree on what an endpoint is.
/// </summary>
public static class PoolEndpoints
{
    public const string EngineTypeLabel = "inference.networking.k8s.io/engine-type";
    public const string DefaultEngineType = "vllm";

    /// <summary>
    /// Every valid pool with its endpoints, pools sorted by namespace then name and endpoints by address.
    /// Invalid pools (see <see cref="InferencePoolValidation.Validate"/>) are left out; the caller logs why.
    /// When two pools share a namespace and name, a v1 pool beats a v1alpha2 one, and of the same version the later wins.
    /// </summary>
    public static ImmutableArray<PoolTopology> Resolve(IEnumerable<InferencePoolView> pools, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(pods);

        var servingPodsByNamespace = pods
            .Where(IsServing)
            .ToLookup(pod => pod.Metadata.NamespaceProperty ?? InferencePoolNormalization.DefaultNamespace, StringComparer.Ordinal);

        var topologies = ImmutableArray.CreateBuilder<PoolTopology>();
        foreach (var pool in Deduplicate(pools.Where(pool => pool.Validate().IsEmpty)))
        {
            var endpoints = ImmutableArray.CreateBuilder<DiscoveredEndpoint>();
            foreach (var pod in servingPodsByNamespace[pool.Namespace])
            {
                if (!Matches(pool.Selector, pod.Metadata.Labels))
                {
                    continue;
                }

                var engineType = EngineType(pod);
                foreach (var port in pool.TargetPorts)
                {
                    endpoints.Add(new DiscoveredEndpoint(pod.Metadata.Name ?? "", Address(pod.Status.PodIP, port), engineType, port));
                }
            }

            endpoints.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
            topologies.Add(new PoolTopology(pool.Namespace, pool.Name, pool.FailOpen, endpoints.DrainToImmutable()));
        }

        topologies.Sort(static (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
        });
        return topologies.DrainToImmutable();
    }

    /// <summary>The two views hold the same pools with the same endpoints, in the same order.</summary>
    public static bool AreEqual(ImmutableArray<PoolTopology> left, ImmutableArray<PoolTopology> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            var (a, b) = (left[i], right[i]);
            if (a.Namespace != b.Namespace || a.Name != b.Name || a.FailOpen != b.FailOpen || !a.Endpoints.SequenceEqual(b.Endpoints))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A pod the gateway may route to now: running, ready, addressed, and not on its way out.</summary>
    public static bool IsServing(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata is null || pod.Status is null)
        {
            return false;
        }

        return pod.Metadata.DeletionTimestamp is null
            && !string.IsNullOrEmpty(pod.Status.PodIP)
            && pod.Status.Phase == "Running"
            && pod.Status.Conditions is { } conditions
            && conditions.Any(condition => condition.Type == "Ready" && condition.Status == "True");
    }

    private static InferencePoolView[] Deduplicate(IEnumerable<InferencePoolView> pools)
    {
        var byKey = new Dictionary<(string Namespace, string Name), InferencePoolView>();
        foreach (var pool in pools)
        {
            var key = (pool.Namespace, pool.Name);
            if (!byKey.TryGetValue(key, out var existing) || !pool.IsLegacy || existing.IsLegacy)
            {
                byKey[key] = pool;
            }
        }

        return [.. byKey.Values];
    }

    // Validation already rejects an empty selector; refusing it here too means it can never select every pod.
    private static bool Matches(ImmutableDictionary<string, string> selector, IDictionary<string, string>? labels)
    {
        if (selector.IsEmpty || labels is null)
        {
            return false;
        }

        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string EngineType(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(EngineTypeLabel, out var engine) && !string.IsNullOrEmpty(engine)
            ? engine
            : DefaultEngineType;

    // IPv6 needs brackets to stay unambiguous in ip:port.
    private static string Address(string podIp, int port) =>
        podIp.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{podIp}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{podIp}:{port}");
}
