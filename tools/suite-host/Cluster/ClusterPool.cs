using Suite.Kubernetes.Resources;

namespace Suite.Host.Cluster;

/// <summary>An InferencePool of the cluster file, either API version, with its annotations (which describe its simulators).</summary>
/// <param name="Index">Its place among the file's pools: pool <c>i</c>'s picker gets ext_proc port base + 10·i.</param>
/// <param name="Models">Public model names its InferenceModels declare (<c>spec.modelName</c>), in file order.</param>
internal sealed record ClusterPool(
    int Index,
    InferencePoolView View,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<string> Models)
{
    public string Name => View.Name;

    public string Namespace => View.Namespace;

    /// <summary>The port simulated pods listen on (a valid pool has at least one).</summary>
    public int FirstTargetPort => View.TargetPorts[0];
}
