using Suite.Kubernetes.Tests.Fakes;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>InferencePools and Pods in their wire shape, for the in-memory API server.</summary>
internal static class ApiObjects
{
    public const string PoolGroup = "inference.networking.k8s.io";
    public const string PoolVersion = "v1";
    public const string Pools = "inferencepools";
    public const string Pods = "pods";

    /// <summary>A server that serves v1 InferencePools (and Pods, as it always does).</summary>
    public static async Task<InMemoryKubernetesApi> StartServerAsync()
    {
        var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(PoolGroup, PoolVersion, Pools, "InferencePool");
        return server;
    }

    /// <param name="selector">E.g. <c>app=chat,tier=gpu</c>.</param>
    public static object Pool(string name, string selector, int port) => new
    {
        apiVersion = PoolGroup + "/" + PoolVersion,
        kind = "InferencePool",
        metadata = new { name, @namespace = "default" },
        spec = new
        {
            selector = new { matchLabels = TestPods.Labels(selector) },
            targetPorts = new[] { new { number = port } },
            endpointPickerRef = new { name = "picker", port = new { number = 9002 } },
        },
    };

    public static object Pod(string name, string ip, string labels, bool ready = true) => new
    {
        apiVersion = "v1",
        kind = "Pod",
        metadata = new { name, @namespace = "default", labels = TestPods.Labels(labels) },
        spec = new { containers = new[] { new { name = "vllm", image = "vllm/vllm-openai" } } },
        status = new
        {
            phase = "Running",
            podIP = ip,
            conditions = new[] { new { type = "Ready", status = ready ? "True" : "False" } },
        },
    };

    public static bool DeletePod(InMemoryKubernetesApi server, string name) => server.Delete(string.Empty, "v1", Pods, "default", name);
}
