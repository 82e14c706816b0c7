using System.Collections.Immutable;
using k8s.Models;
using Suite.Kubernetes.Resources;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>Pods and pools in as few words as the tests need.</summary>
internal static class TestPods
{
    public static V1Pod Serving(string name, string ip, string labels, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = Labels(labels) },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
        },
    };

    public static InferencePoolView Pool(string name, string selector, int[] ports, string ns = "default", bool failOpen = false) =>
        new(V1InferencePool.GroupVersion, ns, name, Labels(selector).ToImmutableDictionary(StringComparer.Ordinal), [.. ports], failOpen);

    public static InferencePoolView LegacyPool(string name, string selector, int port, string ns = "default") =>
        Pool(name, selector, [port], ns) with { ApiVersion = V1Alpha2InferencePool.GroupVersion };

    /// <summary><c>"app=chat,tier=gpu"</c> as a label map; <c>""</c> is empty.</summary>
    public static Dictionary<string, string> Labels(string labels) =>
        labels.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
}
