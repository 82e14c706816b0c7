using System.Net;
using Suite.Contracts.Pools;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;
using Suite.MetricsCollector.Tests.Collecting;
using Xunit.Abstractions;
using static Suite.MetricsCollector.Tests.Discovery.KubernetesCollectorHost;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>
/// The collector's Kubernetes discovery through API server trouble. While the API misbehaves the cluster changes (a
/// pod added, one deleted, one made unready; a pool's selector and target port changed); once the API recovers the
/// published snapshots show exactly the new endpoints within <see cref="ConvergenceBound"/>, versions keep rising, and
/// nothing wrong is published in between. During an outage the collector stays ready and keeps publishing what it knew.
/// </summary>
[Collection(CollectorHostsGroup.Name)]
public sealed class ApiFaultConvergenceTests(ITestOutputHelper output)
{
    private const string Chat = "chat-pool";
    private const string Code = "code-pool";
    private const string StayingChatEndpoint = "127.0.2.1:8000";

    private static readonly Dictionary<string, string[]> Before = new(StringComparer.Ordinal)
    {
        [Chat] = [StayingChatEndpoint, "127.0.2.2:8000", "127.0.2.3:8000"],
        [Code] = ["127.0.2.11:9000", "127.0.2.12:9000"],
    };

    private static readonly Dictionary<string, string[]> After = new(StringComparer.Ordinal)
    {
        [Chat] = [StayingChatEndpoint, "127.0.2.4:8000"],
        [Code] = ["127.0.2.11:9001"],
    };

    [Fact]
    public async Task WatchesDroppedMidStreamRepeatedly_EndpointsConvergeWhileTheDropsGoOn()
    {
        await using var server = await StartClusterAsync();
        await using var collector = await StartCollectorAsync(server);

        server.Faults.DropWatchesAfter(1);
        ChangeTheCluster(server);
        var took = await ConvergeAsync(collector, "dropped watches");

        // The pod watch is cut instead of sending its second and its third change; the pool watch has only one.
        Assert.Equal((2, 0), (server.Faults.Count(InMemoryRequestKind.Watch, ApiObjects.Pods), server.Faults.Count(InMemoryRequestKind.Watch, ApiObjects.Pools)));
        AssertNothingWrongPublished(collector);
    }

    [Fact]
    public async Task WatchGoneAfterAGap_TheRelistBringsTheChanges_IncludingTheDeletionTheWatchNeverSaw()
    {
        await using var server = await StartClusterAsync();
        await using var collector = await StartCollectorAsync(server);

        // The watchers are away (every watch is cut as it opens) while the cluster changes and etcd compacts its history.
        server.Faults.DropWatchesAfter(0);
        server.DropOpenWatches();
        var outageStart = collector.Published.Snapshots.Count;
        ChangeTheCluster(server);
        server.Compact();
        await Wait.UntilAsync(
            () => server.Faults.Count(InMemoryRequestKind.Watch, ApiObjects.Pods) >= 3 && server.Faults.Count(InMemoryRequestKind.Watch, ApiObjects.Pools) >= 3,
            "three cut watches of each kind");
        var (ready, duringOutage) = await ObserveOutageAsync(collector, outageStart);
        server.Faults.Clear();
        var took = await ConvergeAsync(collector, "410 Gone after a gap");

        Assert.Equal(HttpStatusCode.OK, ready);
        AssertLastStateKept(duringOutage);
        AssertNothingWrongPublished(collector);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task ListsAndWatchesFailWithServerErrors_ThenRecover_EndpointsConverge(int statusCode)
    {
        await using var server = await StartClusterAsync();
        await using var collector = await StartCollectorAsync(server);

        server.Faults.FailWatches(statusCode);
        server.Faults.FailLists(statusCode);
        server.DropOpenWatches();
        var outageStart = collector.Published.Snapshots.Count;
        ChangeTheCluster(server);
        server.Compact(); // so the watch that works again answers 410, and the relist it needs meets failing lists
        await Wait.UntilAsync(() => Failed(server, InMemoryRequestKind.Watch) >= 3, "three failed watches of each kind");
        server.Faults.FailWatches(0);
        await Wait.UntilAsync(() => Failed(server, InMemoryRequestKind.List) >= 3, "three failed lists of each kind");
        var (ready, duringOutage) = await ObserveOutageAsync(collector, outageStart);
        server.Faults.Clear();
        var took = await ConvergeAsync(collector, $"lists and watches answering {statusCode}");

        Assert.Equal(HttpStatusCode.OK, ready);
        AssertLastStateKept(duringOutage);
        AssertNothingWrongPublished(collector);
    }

    [Fact]
    public async Task ApiServerDown_ThenBackOnTheSamePort_EndpointsConverge()
    {
        await using var server = await StartClusterAsync();
        await using var collector = await StartCollectorAsync(server);

        await server.StopAsync();
        var (outageStart, refusedBefore) = (collector.Published.Snapshots.Count, collector.FailedConnections.Count);
        ChangeTheCluster(server);
        await Wait.UntilAsync(() => collector.FailedConnections.Count >= refusedBefore + 6, "three refused connections per watcher");
        var (ready, duringOutage) = await ObserveOutageAsync(collector, outageStart);
        await server.RestartAsync();
        var took = await ConvergeAsync(collector, "the API server down and back");

        Assert.Equal(HttpStatusCode.OK, ready);
        AssertLastStateKept(duringOutage);
        AssertNothingWrongPublished(collector);
    }

    [Fact]
    public async Task ApiFailingAtStart_NotReadyAndNothingPublished_UntilTheListsSucceed()
    {
        await using var server = await StartClusterAsync();
        server.Faults.FailLists(503);
        await using var collector = Start(server);

        await Wait.UntilAsync(() => Failed(server, InMemoryRequestKind.List) >= 3, "three failed lists of each kind");
        var (ready, published) = (await collector.ReadinessAsync(), collector.Published.Snapshots.Count);
        server.Faults.Clear();
        var took = await Convergence.WithinAsync(ConvergenceBound, () => Shows(collector, Before), "the first endpoints");
        output.WriteLine($"first lists after 503s: converged in {took.TotalMilliseconds:0} ms (bound {ConvergenceBound.TotalMilliseconds:0} ms)");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 0), (ready, published));
        Assert.Equal(HttpStatusCode.OK, await collector.ReadinessAsync());
        AssertNothingWrongPublished(collector);
    }

    private static async Task<InMemoryKubernetesApi> StartClusterAsync()
    {
        var server = await ApiObjects.StartServerAsync();
        server.Put(ApiObjects.Pool(Chat, "app=chat", 8000));
        server.Put(ApiObjects.Pool(Code, "app=code", 9000));
        server.Put(ApiObjects.Pod("chat-0", "127.0.2.1", "app=chat"));
        server.Put(ApiObjects.Pod("chat-1", "127.0.2.2", "app=chat"));
        server.Put(ApiObjects.Pod("chat-2", "127.0.2.3", "app=chat"));
        server.Put(ApiObjects.Pod("code-0", "127.0.2.11", "app=code,tier=gpu"));
        server.Put(ApiObjects.Pod("code-1", "127.0.2.12", "app=code"));
        return server;
    }

    private static async Task<KubernetesCollectorHost> StartCollectorAsync(InMemoryKubernetesApi server)
    {
        var collector = Start(server);
        await Wait.UntilAsync(() => Shows(collector, Before), "the first endpoints");
        return collector;
    }

    /// <summary>Three pod changes (one added, one deleted, one made unready) and one pool change (selector and port).</summary>
    private static void ChangeTheCluster(InMemoryKubernetesApi server)
    {
        server.Put(ApiObjects.Pod("chat-3", "127.0.2.4", "app=chat"));
        Assert.True(ApiObjects.DeletePod(server, "chat-1"));
        server.Put(ApiObjects.Pod("chat-2", "127.0.2.3", "app=chat", ready: false));
        server.Put(ApiObjects.Pool(Code, "app=code,tier=gpu", 9001));
    }

    /// <summary>Fewest failed requests of this kind for either watched resource.</summary>
    private static int Failed(InMemoryKubernetesApi server, InMemoryRequestKind request) =>
        Math.Min(server.Faults.Count(request, ApiObjects.Pods), server.Faults.Count(request, ApiObjects.Pools));

    private static bool Shows(KubernetesCollectorHost collector, Dictionary<string, string[]> expected)
    {
        var latest = collector.Latest();
        return latest.Count == expected.Count && expected.All(pool => latest.TryGetValue(pool.Key, out var addresses) && addresses.SequenceEqual(pool.Value));
    }

    /// <summary>Waits (bounded) for the new endpoints, reports the time, then checks the next rounds publish exactly them.</summary>
    private async Task<TimeSpan> ConvergeAsync(KubernetesCollectorHost collector, string fault)
    {
        var took = await Convergence.WithinAsync(ConvergenceBound, () => Shows(collector, After), "the new endpoints");
        output.WriteLine($"{fault}: converged in {took.TotalMilliseconds:0} ms (bound {ConvergenceBound.TotalMilliseconds:0} ms)");
        var converged = collector.Published.Snapshots.Count;
        await Wait.UntilAsync(() => collector.Published.Snapshots.Count >= converged + 6, "three more rounds");
        Assert.All(collector.Published.Snapshots.Skip(converged), s => Assert.Equal(After[s.PoolName], Addresses(s)));
        return took;
    }

    /// <summary>Readiness now, and every snapshot since the outage began, once two more rounds were published.</summary>
    private static async Task<(HttpStatusCode Ready, List<PoolSnapshot> Published)> ObserveOutageAsync(KubernetesCollectorHost collector, int outageStart)
    {
        var now = collector.Published.Snapshots.Count;
        await Wait.UntilAsync(() => collector.Published.Snapshots.Count >= now + 4, "two more rounds during the outage");
        return (await collector.ReadinessAsync(), collector.Published.Snapshots.Skip(outageStart).ToList());
    }

    /// <summary>While the API was unreachable the collector went on publishing what it knew, unchanged.</summary>
    private static void AssertLastStateKept(List<PoolSnapshot> duringOutage)
    {
        Assert.Equal([Chat, Code], duringOutage.Select(s => s.PoolName).Distinct().Order(StringComparer.Ordinal));
        Assert.All(duringOutage, s => Assert.Equal(Before[s.PoolName], Addresses(s)));
    }

    /// <summary>
    /// Every snapshot is of a known pool, each pool's versions rise, and each endpoint set is one the cluster could
    /// show on the way: the chat pool never loses its one pod that stays, nor gains one that never was; the code pool
    /// is either its old or its new self (the pool changed in one step).
    /// </summary>
    private static void AssertNothingWrongPublished(KubernetesCollectorHost collector)
    {
        Assert.All(collector.Published.Snapshots, s => Assert.Contains(s.PoolName, Before.Keys));
        foreach (var pool in Before.Keys)
        {
            var versions = collector.Snapshots(pool).Select(s => s.Version).ToList();
            Assert.All(versions.Zip(versions.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pool}: version {pair.Second} after {pair.First}"));
        }

        var everReady = Before[Chat].Union(After[Chat]).ToHashSet(StringComparer.Ordinal);
        Assert.All(collector.Snapshots(Chat), s =>
        {
            Assert.Contains(StayingChatEndpoint, Addresses(s));
            Assert.Subset(everReady, Addresses(s).ToHashSet(StringComparer.Ordinal));
        });
        Assert.All(collector.Snapshots(Code), s => Assert.True(
            Addresses(s).SequenceEqual(Before[Code]) || Addresses(s).SequenceEqual(After[Code]), $"code-pool published [{string.Join(", ", Addresses(s))}]"));
    }

    private static string[] Addresses(PoolSnapshot snapshot) => [.. snapshot.Endpoints.Select(e => e.Address)];
}
