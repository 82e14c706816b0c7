using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Suite.Kubernetes.Tests.Fakes;
using Suite.MetricsCollector.Discovery;
using Suite.MetricsCollector.Hosting;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>The collector's Kubernetes discovery through the real KubernetesClient against a loopback fake API server.</summary>
public sealed class KubernetesDiscoveryTests
{
    [Fact]
    public async Task PoolsAndPods_FromTheApi_ResolveToReadyEndpoints_AndFollowWatchEvents()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var client = api.CreateClient();
        var options = Options.Create(new CollectorOptions { WatchLegacyPools = false });
        using var discovery = new KubernetesDiscovery(client, options, TimeProvider.System, NullLogger<KubernetesDiscovery>.Instance);
        using var stop = new CancellationTokenSource();
        await discovery.StartAsync(stop.Token);

        // The two watchers list in either order: answer each by its path.
        for (var i = 0; i < 2; i++)
        {
            var list = await api.NextListAsync();
            await list.RespondAsync(200, list.Path.StartsWith("/api/v1/pods", StringComparison.Ordinal)
                ? KubeJson.PodList("100", KubeJson.Pod("vllm-0", "90", ready: true, ip: "10.0.0.1"), KubeJson.Pod("vllm-1", "91", ready: false, ip: "10.0.0.2"))
                : KubeJson.PoolList("200", KubeJson.Pool("chat-pool", "150", port: 8000)));
        }

        await discovery.ReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var before = discovery.Pools;
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        discovery.Changed += () => changed.TrySetResult();
        FakeApiRequest podWatch;
        do
        {
            podWatch = await api.NextWatchAsync();
        }
        while (!podWatch.Path.StartsWith("/api/v1/pods", StringComparison.Ordinal));

        await podWatch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("vllm-1", "101", ready: true, ip: "10.0.0.2")));
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var after = discovery.Pools;
        await stop.CancelAsync();
        await discovery.StopAsync(CancellationToken.None);

        var pool = Assert.Single(before);
        Assert.Equal(("default", "chat-pool", true), (pool.Namespace, pool.Name, pool.FailOpen));
        Assert.Equal(["10.0.0.1:8000"], pool.Endpoints.Select(e => e.Address));
        Assert.Equal(["10.0.0.1:8000", "10.0.0.2:8000"], Assert.Single(after).Endpoints.Select(e => e.Address));
    }
}
