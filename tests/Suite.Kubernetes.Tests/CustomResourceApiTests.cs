using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class CustomResourceApiTests
{
    private const string Pools = "/apis/inference.networking.k8s.io/v1/inferencepools";

    [Fact]
    public async Task AllNamespaces_ListAndWatchEvents_ArriveAsTheTypedResource()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces);

        var list = await h.Server.NextListAsync();
        await list.RespondAsync(200, KubeJson.PoolList("10", KubeJson.Pool("chat", "5", port: 8000)));
        var listed = await h.Changes.NextAsync();
        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pool("code", "11", port: 8100, ns: "team-b", app: "coder")));
        var added = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pool("chat", "12", port: 8001)));
        var modified = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("DELETED", KubeJson.Pool("code", "13", port: 8100, ns: "team-b", app: "coder")));
        var deleted = await h.Changes.NextAsync();

        Assert.Equal(Pools, list.Path);
        Assert.Equal("?limit=500&watch=false", list.Query);
        Assert.Equal(Pools, watch.Path);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", watch.Query);
        Assert.Equal(8000, Assert.Single(listed.Changes).Resource.Spec.TargetPorts.Single().Number);
        var code = Assert.Single(added.Changes);
        Assert.Equal((ResourceChangeType.Added, "team-b/code"), (code.Type, code.Key));
        Assert.Equal("coder", code.Resource.Spec.Selector.MatchLabels["app"]);
        Assert.Equal("InferencePool", code.Resource.Kind);
        Assert.Equal((ResourceChangeType.Modified, 8001), (modified.Changes.Single().Type, modified.Changes.Single().Resource.Spec.TargetPorts.Single().Number));
        Assert.Equal((ResourceChangeType.Deleted, "team-b/code"), (deleted.Changes.Single().Type, deleted.Changes.Single().Key));
        Assert.Equal(["default/chat"], h.Watcher.Snapshot.Keys);
        Assert.Equal(8001, h.Watcher.Snapshot["default/chat"].Spec.TargetPorts.Single().Number);
    }

    [Fact]
    public async Task OneNamespace_WithALabelSelector_UsesTheNamespacedPathAndTheSelector()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(
            c => new CustomResourceApi<TestInferencePool>(c, TestInferencePool.Group, TestInferencePool.Version, TestInferencePool.Plural, "team-a", "tier=gpu"));

        var list = await h.Server.NextListAsync();
        await list.RespondAsync(200, KubeJson.PoolList("10", KubeJson.Pool("chat", "5", ns: "team-a")));
        var watch = await h.Server.NextWatchAsync();

        Assert.Equal("/apis/inference.networking.k8s.io/v1/namespaces/team-a/inferencepools", list.Path);
        Assert.Equal("?labelSelector=tier%3Dgpu&limit=500&watch=false", list.Query);
        Assert.Equal("/apis/inference.networking.k8s.io/v1/namespaces/team-a/inferencepools", watch.Path);
        Assert.Equal("?allowWatchBookmarks=true&labelSelector=tier%3Dgpu&resourceVersion=10&timeoutSeconds=300&watch=true", watch.Query);
        Assert.Equal(["team-a/chat"], h.Watcher.Snapshot.Keys);
    }

    [Fact]
    public async Task Bookmark_ThenGoneErrorEvent_RelistsAndRewatchesFromTheNewList()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces);
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5"), KubeJson.Pool("code", "6")));

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Bookmark("inference.networking.k8s.io/v1", "InferencePool", "17"));
        await h.Logs.WaitForAsync("Bookmark");
        var versionAfterBookmark = h.Watcher.ResourceVersion;
        await watch.SendAsync(KubeJson.Event("ERROR", KubeJson.Json(KubeJson.Gone("17"))));
        var relist = await h.Server.NextListAsync();
        await relist.RespondAsync(200, KubeJson.PoolList("40", KubeJson.Pool("chat", "5")));
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("17", versionAfterBookmark);
        Assert.Equal(Pools, relist.Path);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=40&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(["default/chat"], h.Watcher.Snapshot.Keys);
        Assert.Equal(1, h.Watcher.Counters.Relists);
    }

    [Fact]
    public async Task GoneAsHttpStatus_OnACustomResourceWatch_Relists()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces);
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5")));

        await (await h.Server.NextWatchAsync()).RespondAsync(410, KubeJson.Gone("10"));
        var relist = await h.Server.NextListAsync();

        Assert.Equal(Pools, relist.Path);
        Assert.Equal(1, h.Watcher.Counters.Relists);
    }

    private static CustomResourceApi<TestInferencePool> AllNamespaces(k8s.IKubernetes client) =>
        new(client, TestInferencePool.Group, TestInferencePool.Version, TestInferencePool.Plural);
}
