using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherListWatchTests
{
    private const string Pods = "/api/v1/pods";

    [Fact]
    public async Task FirstList_FillsTheSnapshot_AndReportsEachPodAdded()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));

        var list = await h.Server.NextListAsync();
        await list.RespondAsync(200, KubeJson.PodList("10", KubeJson.Pod("a", "5"), KubeJson.Pod("b", "6", ns: "other")));
        var changes = await h.Changes.NextAsync();

        Assert.Equal(Pods, list.Path);
        Assert.Equal("?limit=500&watch=false", list.Query);
        Assert.Equal(
            [(ResourceChangeType.Added, "default/a"), (ResourceChangeType.Added, "other/b")],
            changes.Changes.Select(c => (c.Type, c.Key)));
        Assert.Equal(["default/a", "other/b"], h.Watcher.Snapshot.Keys.Order(StringComparer.Ordinal));
        Assert.Same(h.Watcher.Snapshot, changes.Snapshot);
        Assert.Equal("10", h.Watcher.ResourceVersion);
        Assert.True(h.Watcher.IsReady);
    }

    [Fact]
    public async Task WatchEvents_AddedModifiedDeleted_ReachTheSnapshotInOrder()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pod("b", "11", ip: "10.0.0.2")));
        var added = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("b", "12", ip: "10.0.0.3")));
        var modified = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("DELETED", KubeJson.Pod("a", "13")));
        var deleted = await h.Changes.NextAsync();

        Assert.Equal(Pods, watch.Path);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", watch.Query);
        Assert.Equal((ResourceChangeType.Added, "default/b", "11"), Single(added));
        Assert.Equal((ResourceChangeType.Modified, "default/b", "12"), Single(modified));
        Assert.Equal((ResourceChangeType.Deleted, "default/a", "13"), Single(deleted));
        Assert.Equal("13", deleted.ResourceVersion);
        Assert.Equal(["default/b"], h.Watcher.Snapshot.Keys);
        Assert.Equal("10.0.0.3", h.Watcher.Snapshot["default/b"].Status.PodIP);
        Assert.Equal("13", h.Watcher.ResourceVersion);
    }

    [Fact]
    public async Task PodBecomingUnready_ArrivesAsModified_WithReadyFalse()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5", ready: true)));
        _ = await h.Changes.NextAsync();
        var readyBefore = Ready(h.Watcher.Snapshot["default/a"]);

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("a", "11", ready: false)));
        var changes = await h.Changes.NextAsync();

        Assert.Equal("True", readyBefore);
        Assert.Equal(ResourceChangeType.Modified, changes.Changes.Single().Type);
        Assert.Equal("False", Ready(changes.Changes.Single().Resource));
        Assert.Equal("False", Ready(h.Watcher.Snapshot["default/a"]));
    }

    [Fact]
    public async Task DeletedEventForAnUnknownPod_ChangesNothing_ButAdvancesTheResourceVersion()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("DELETED", KubeJson.Pod("ghost", "11")));
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pod("b", "12")));
        var next = await h.Changes.NextAsync();

        Assert.Equal((ResourceChangeType.Added, "default/b", "12"), Single(next));
        Assert.Equal(["default/a", "default/b"], h.Watcher.Snapshot.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bookmark_AdvancesTheResourceVersionOfTheNextWatch_WithoutAChange()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();

        var first = await h.Server.NextWatchAsync();
        await first.SendAsync(KubeJson.Bookmark("v1", "Pod", "15"));
        await h.Logs.WaitForAsync("Bookmark");
        var versionAfterBookmark = h.Watcher.ResourceVersion;
        first.End();
        var second = await h.Server.NextWatchAsync();

        Assert.Equal("15", versionAfterBookmark);
        Assert.False(h.Changes.HasPending);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=15&timeoutSeconds=300&watch=true", second.Query);
        Assert.Equal(["default/a"], h.Watcher.Snapshot.Keys);
    }

    [Fact]
    public async Task WatchEndedByTheServer_ReWatchesAtOnce_FromTheLastEvent()
    {
        var random = new ScriptedRandom(0.5);
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), random: random);
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        var first = await h.Server.NextWatchAsync();
        await first.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("a", "12")));
        first.End();
        var second = await h.Server.NextWatchAsync();

        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=12&timeoutSeconds=300&watch=true", second.Query);
        Assert.Equal(0, random.Calls); // no backoff delay was drawn
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task EmptyWatchEnd_IsNotAnError_AndReWatchesFromTheSameVersionAfterABackoffDelay()
    {
        var random = new ScriptedRandom(0.5);
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), random: random);
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        var first = await h.Server.NextWatchAsync();
        first.End();
        var delay = (await h.Logs.WaitForAsync("WatchEndedEmpty")).Value<TimeSpan>("Delay");
        h.Time.Advance(delay);
        var second = await h.Server.NextWatchAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(500), delay);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", second.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task ListPages_AreFollowedWithTheContinueToken_AndMerged()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));

        var page1 = await h.Server.NextListAsync();
        await page1.RespondAsync(200, KubeJson.List("v1", "PodList", "10", "next-page", KubeJson.Pod("a", "5")));
        var page2 = await h.Server.NextListAsync();
        await page2.RespondAsync(200, KubeJson.List("v1", "PodList", "10", null, KubeJson.Pod("b", "6")));
        var changes = await h.Changes.NextAsync();
        var watch = await h.Server.NextWatchAsync();

        Assert.Equal("?continue=next-page&limit=500&watch=false", page2.Query);
        Assert.Equal(["default/a", "default/b"], changes.Changes.Select(c => c.Key));
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", watch.Query);
    }

    private static (ResourceChangeType, string, string) Single(ResourceChangeSet<V1Pod> set)
    {
        var change = Assert.Single(set.Changes);
        return (change.Type, change.Key, change.Resource.Metadata.ResourceVersion);
    }

    private static string Ready(V1Pod pod) => pod.Status.Conditions.Single(c => c.Type == "Ready").Status;
}
