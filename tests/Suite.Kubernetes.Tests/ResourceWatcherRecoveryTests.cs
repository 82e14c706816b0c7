using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherRecoveryTests
{
    [Fact]
    public async Task GoneAsHttpStatus_Relists_AndReportsObjectsMissingFromTheNewListAsDeleted()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5"), KubeJson.Pod("b", "6"), KubeJson.Pod("c", "7")));
        _ = await h.Changes.NextAsync();

        var watch = await h.Server.NextWatchAsync();
        await watch.RespondAsync(410, KubeJson.Gone("10"));
        var relist = await h.Server.NextListAsync();
        await relist.RespondAsync(200, KubeJson.PodList("20", KubeJson.Pod("a", "5"), KubeJson.Pod("b", "14"), KubeJson.Pod("d", "15")));
        var changes = await h.Changes.NextAsync();
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?limit=500&watch=false", relist.Query);
        Assert.Equal(
            [(ResourceChangeType.Modified, "default/b"), (ResourceChangeType.Added, "default/d"), (ResourceChangeType.Deleted, "default/c")],
            changes.Changes.Select(c => (c.Type, c.Key)));
        Assert.Equal("7", changes.Changes[2].Resource.Metadata.ResourceVersion); // a deletion carries the last known state
        Assert.Equal(["default/a", "default/b", "default/d"], h.Watcher.Snapshot.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=20&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 1, Restarts: 0, WatchdogRestarts: 0, Errors: 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task GoneAsErrorEvent_Relists_WithoutWaitingForTheServerToCloseTheWatch()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5"), KubeJson.Pod("b", "6")));
        _ = await h.Changes.NextAsync();

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("a", "11")));
        _ = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("ERROR", KubeJson.Json(KubeJson.Gone("11"))));
        var relist = await h.Server.NextListAsync();
        await relist.RespondAsync(200, KubeJson.PodList("30", KubeJson.Pod("a", "11")));
        var changes = await h.Changes.NextAsync();
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal((ResourceChangeType.Deleted, "default/b"), (changes.Changes.Single().Type, changes.Changes.Single().Key));
        Assert.Equal(["default/a"], h.Watcher.Snapshot.Keys);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=30&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(1, h.Watcher.Counters.Relists);
        Assert.Equal(0, h.Watcher.Counters.Errors);
    }

    [Fact]
    public async Task DroppedConnection_ReWatchesFromTheLastResourceVersion_WithoutRelisting()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pod("b", "11")));
        _ = await h.Changes.NextAsync();
        watch.Abort();
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=11&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(["default/a", "default/b"], h.Watcher.Snapshot.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 1), h.Watcher.Counters);
        Assert.NotNull(Assert.Single(h.Logs.Named("WatchFailed")).Exception);
    }

    [Fact]
    public async Task ServerErrorOnTheWatchRequest_ReWatchesFromTheSameResourceVersion()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        var watch = await h.Server.NextWatchAsync();
        await watch.RespondAsync(503, KubeJson.Status(503, "ServiceUnavailable", "etcd is unavailable"));
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 1), h.Watcher.Counters);
    }

    [Theory]
    [InlineData("{\"type\":\"ADDED\",\"object\":")]
    [InlineData("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":500,\"message\":\"internal error\"}}")]
    [InlineData("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"11\"}}}")]
    public async Task MalformedOrErrorEvent_CountsAnError_AndReWatchesWithoutRelisting(string line)
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(line);
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 1), h.Watcher.Counters);
        Assert.Equal(["default/a"], h.Watcher.Snapshot.Keys);
    }
}
