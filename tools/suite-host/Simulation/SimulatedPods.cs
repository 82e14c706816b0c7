using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace Suite.Host.Simulation;

/// <summary>
/// The Pod objects that make simulated instances endpoints of their pool, as a cluster would show them: the pool's
/// selector labels, a vLLM engine label, the instance's loopback address, Running and Ready.
/// </summary>
internal static class SimulatedPods
{
    /// <summary>The collector reads metric names by this label; the simulators speak vLLM's.</summary>
    public const string EngineTypeLabel = "inference.networking.k8s.io/engine-type";
    public const string EngineType = "vllm";

    public static IReadOnlyList<V1Pod> For(PoolSimulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var pods = new V1Pod[simulation.Instances];
        for (var i = 0; i < pods.Length; i++)
        {
            var labels = new Dictionary<string, string>(simulation.Pool.View.Selector, StringComparer.Ordinal);
            labels.TryAdd(EngineTypeLabel, EngineType); // a selector that names the engine keeps its own value
            pods[i] = new V1Pod
            {
                ApiVersion = V1Pod.KubeApiVersion,
                Kind = V1Pod.KubeKind,
                Metadata = new V1ObjectMeta
                {
                    Name = string.Create(CultureInfo.InvariantCulture, $"{simulation.Pool.Name}-{i}"),
                    NamespaceProperty = simulation.Pool.Namespace,
                    Labels = labels,
                },
                Status = new V1PodStatus
                {
                    Phase = "Running",
                    PodIP = PoolSimulation.PodIp(i),
                    Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
                },
            };
        }

        return pods;
    }

    /// <summary>The pods as YAML documents, each starting with <c>---</c>, to follow the cluster file's own.</summary>
    public static string Yaml(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var text = new StringBuilder();
        foreach (var pod in pods)
        {
            text.Append("---\n").Append(KubernetesYaml.Serialize(pod).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
