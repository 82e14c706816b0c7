using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class PodApiTests
{
    [Fact]
    public async Task OneNamespace_WithALabelSelector_ListsAndWatchesTheNamespacedPathWithTheSelector()
    {
        var options = new ResourceWatcherOptions { WatchTimeout = TimeSpan.FromSeconds(60), SilenceTimeout = TimeSpan.FromSeconds(120) };
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c, "inference", "app=vllm", pageSize: 100), options);

        var list = await h.Server.NextListAsync();
        await list.RespondAsync(200, KubeJson.PodList("10", KubeJson.Pod("a", "5", ns: "inference")));
        var watch = await h.Server.NextWatchAsync();

        Assert.Equal("/api/v1/namespaces/inference/pods", list.Path);
        Assert.Equal("?labelSelector=app%3Dvllm&limit=100&watch=false", list.Query);
        Assert.Equal("/api/v1/namespaces/inference/pods", watch.Path);
        Assert.Equal("?allowWatchBookmarks=true&labelSelector=app%3Dvllm&resourceVersion=10&timeoutSeconds=60&watch=true", watch.Query);
        Assert.Equal(["inference/a"], h.Watcher.Snapshot.Keys);
    }

    [Fact]
    public void Description_NamesTheScope()
    {
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

        Assert.Equal("pods", new PodApi(client).Description);
        Assert.Equal("pods in namespace inference matching app=vllm", new PodApi(client, "inference", "app=vllm").Description);
    }
}
