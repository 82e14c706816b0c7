using System.Collections.Frozen;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Suite.Host.Cluster;
using Suite.Host.Simulation;
using Suite.Kubernetes.Manifests;
using Suite.Kubernetes.Resources;

namespace Suite.Host.Tests.Hosting;

/// <summary>The Pod objects that make simulated instances endpoints of their pool.</summary>
public sealed class SimulatedPodsTests
{
    private static readonly FrozenDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> PodsAndPools =
        new Dictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>>
        {
            ["v1/Pod"] = json => KubernetesJson.Deserialize<V1Pod>(json),
            [$"{V1InferencePool.GroupVersion}/{V1InferencePool.KubeKind}"] = json => KubernetesJson.Deserialize<V1InferencePool>(json),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    [Fact]
    public void For_Pool_EachInstanceHasTheSelectorLabelsAVllmEngineAndItsLoopbackAddress()
    {
        var simulation = Simulation("lora-pool", 8001, instances: 2);

        var pods = SimulatedPods.For(simulation);

        Assert.Equal(["lora-pool-0", "lora-pool-1"], pods.Select(pod => pod.Metadata.Name));
        Assert.All(pods, pod =>
        {
            Assert.Equal("default", pod.Metadata.NamespaceProperty);
            Assert.Equal(
                new Dictionary<string, string> { ["app"] = "lora-pool", ["inference.networking.k8s.io/engine-type"] = "vllm" },
                pod.Metadata.Labels);
            Assert.Equal("Running", pod.Status.Phase);
            var ready = Assert.Single(pod.Status.Conditions);
            Assert.Equal(("Ready", "True"), (ready.Type, ready.Status));
        });
        Assert.Equal(["127.0.1.1", "127.0.1.2"], pods.Select(pod => pod.Status.PodIP));
    }

    [Fact]
    public void EffectiveManifests_ReadBack_TheClusterFileThenTheGeneratedPods()
    {
        var cluster = ClusterFile.Parse(TestClusters.Pool("chat-pool", 8000), "/clusters/demo.yaml");
        var simulation = PoolSimulation.For(cluster.Pools[0], simulators: 3)!;

        var text = EffectiveManifests.Text(cluster, [simulation]);
        var objects = ManifestReader.Read(text, "effective.yaml", PodsAndPools).Objects.Select(manifest => manifest.Value).ToArray();

        Assert.Equal("chat-pool", Assert.IsType<V1InferencePool>(objects[0]).Metadata.Name);
        var pods = objects.Skip(1).Cast<V1Pod>().ToArray();
        Assert.Equal(
            [("chat-pool-0", "127.0.1.1"), ("chat-pool-1", "127.0.1.2"), ("chat-pool-2", "127.0.1.3")],
            pods.Select(pod => (pod.Metadata.Name, pod.Status.PodIP)));
        Assert.All(pods, pod => Assert.Equal("chat-pool", pod.Metadata.Labels["app"]));
    }

    [Fact]
    public void For_SelectorNamingTheEngine_KeepsTheSelectorsValue()
    {
        var yaml = TestClusters.Pool("p", 8000).Replace("app: p", "app: p\n      inference.networking.k8s.io/engine-type: custom", StringComparison.Ordinal);
        var simulation = PoolSimulation.For(ClusterFile.Parse(yaml, "c.yaml").Pools[0], simulators: 1)!;

        var pod = Assert.Single(SimulatedPods.For(simulation));

        Assert.Equal("custom", pod.Metadata.Labels["inference.networking.k8s.io/engine-type"]);
    }

    private static PoolSimulation Simulation(string pool, int port, int instances) =>
        PoolSimulation.For(ClusterFile.Parse(TestClusters.Pool(pool, port), "c.yaml").Pools[0], instances)!;
}
