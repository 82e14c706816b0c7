using Microsoft.Extensions.Logging;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

/// <summary>A kind whose CRD is not installed, or is deleted and re-created: the API server answers 404 for it.</summary>
public sealed class ResourceWatcherNotServedTests
{
    private static readonly string NotFound = KubeJson.Status(404, "NotFound", "the server could not find the requested resource");

    [Fact]
    public async Task ListNotFound_AtStart_IsReadyAndEmpty_RelistsAfterTheBackoff_AndWatchesOnceTheKindIsServed()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: new ScriptedRandom(0.5));
        var ready = h.Watcher.ReadyAsync(CancellationToken.None);

        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        await Wait.ForAsync(ready, "the watcher to be ready on a 404");
        var first = (await h.Logs.WaitForAsync("ListNotServed", 1)).Value<TimeSpan>("Delay");
        var whileMissing = (h.Watcher.IsServed, h.Watcher.Snapshot.Count, h.Watcher.ResourceVersion);
        h.Time.Advance(first - TimeSpan.FromTicks(1));
        await h.Server.AssertNoRequestWithinAsync(TimeSpan.FromMilliseconds(100)); // neither a list nor a watch
        h.Time.Advance(TimeSpan.FromTicks(1));
        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        var second = (await h.Logs.WaitForAsync("ListNotServed", 2)).Value<TimeSpan>("Delay");
        h.Time.Advance(second);
        await (await h.Server.NextListAsync()).RespondAsync(200, KubeJson.PoolList("20", KubeJson.Pool("chat", "15")));
        var appeared = await h.Changes.NextAsync();
        var watch = await h.Server.NextWatchAsync();

        Assert.Equal((false, 0, string.Empty), whileMissing);
        Assert.Equal(TimeSpan.FromMilliseconds(500), first);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), second); // the normal, growing backoff
        Assert.Equal((ResourceChangeType.Added, "default/chat"), (appeared.Changes.Single().Type, appeared.Changes.Single().Key));
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=20&timeoutSeconds=300&watch=true", watch.Query);
        Assert.True(h.Watcher.IsServed);
        var notServed = Assert.Single(h.Logs.Named("NotServed"));
        Assert.Equal(LogLevel.Information, notServed.Level);
        Assert.Equal(
            "inferencepools.inference.networking.k8s.io/v1 is not served by the API server (CRD not installed?); treated as empty, re-listing at least every 00:00:30",
            notServed.Message);
        Assert.Single(h.Logs.Named("Served"));
        Assert.Equal(new ResourceWatcherCounters(0, 0, 0, 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task CrdDeletedAndRecreated_EmptiesTheCache_StaysReady_AndResumesWithTheNewObjects()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: new ScriptedRandom(0.5));
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5"), KubeJson.Pool("code", "6")));
        _ = await h.Changes.NextAsync();

        // Deleting a CRD deletes its objects first, then ends the watch; the API server then answers 404.
        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("DELETED", KubeJson.Pool("chat", "11")));
        var chatDeleted = await h.Changes.NextAsync();
        await watch.SendAsync(KubeJson.Event("DELETED", KubeJson.Pool("code", "12")));
        var codeDeleted = await h.Changes.NextAsync();
        watch.End();
        var rewatch = await h.Server.NextWatchAsync();
        await rewatch.RespondAsync(404, NotFound);
        var relist = await h.Server.NextListAsync();
        await relist.RespondAsync(404, NotFound);
        var delay = (await h.Logs.WaitForAsync("ListNotServed")).Value<TimeSpan>("Delay");
        var whileMissing = (h.Watcher.IsReady, h.Watcher.IsServed, h.Watcher.Snapshot.Count);

        // The CRD is created again, with a new object.
        h.Time.Advance(delay);
        var recreated = await h.Server.NextListAsync();
        await recreated.RespondAsync(200, KubeJson.PoolList("30", KubeJson.Pool("chat-v2", "25")));
        var added = await h.Changes.NextAsync();
        var resumed = await h.Server.NextWatchAsync();

        Assert.Equal((ResourceChangeType.Deleted, "default/chat"), (chatDeleted.Changes.Single().Type, chatDeleted.Changes.Single().Key));
        Assert.Equal((ResourceChangeType.Deleted, "default/code"), (codeDeleted.Changes.Single().Type, codeDeleted.Changes.Single().Key));
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=12&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal("?limit=500&watch=false", relist.Query);
        Assert.Equal((true, false, 0), whileMissing);
        Assert.Equal((ResourceChangeType.Added, "default/chat-v2"), (added.Changes.Single().Type, added.Changes.Single().Key));
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=30&timeoutSeconds=300&watch=true", resumed.Query);
        Assert.Equal(["default/chat-v2"], h.Watcher.Snapshot.Keys);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task ListNotFound_WithObjectsCached_ReportsEachOneDeleted()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: new ScriptedRandom(0.5));
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5"), KubeJson.Pool("code", "6", ns: "team-b")));
        _ = await h.Changes.NextAsync();

        await (await h.Server.NextWatchAsync()).RespondAsync(404, NotFound);
        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        var removed = await h.Changes.NextAsync();

        Assert.Equal(
            [(ResourceChangeType.Deleted, "default/chat"), (ResourceChangeType.Deleted, "team-b/code")],
            removed.Changes.Select(c => (c.Type, c.Key)));
        Assert.Equal("6", removed.Changes[1].Resource.Metadata.ResourceVersion); // the last known state
        Assert.Empty(removed.Snapshot);
        Assert.Equal(string.Empty, removed.ResourceVersion);
        Assert.True(h.Watcher.IsReady);
        Assert.Equal(new ResourceWatcherCounters(0, 0, 0, 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task WatchAnsweredNotFound_RelistsAtOnce()
    {
        var random = new ScriptedRandom(0.5);
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: random);
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5")));

        await (await h.Server.NextWatchAsync()).RespondAsync(404, NotFound);
        var relist = await h.Server.NextListAsync();
        await relist.RespondAsync(200, KubeJson.PoolList("20", KubeJson.Pool("chat", "5")));
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?limit=500&watch=false", relist.Query);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=20&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(0, random.Calls); // no backoff delay was drawn
        Assert.Equal(TimeSpan.Zero, Assert.Single(h.Logs.Named("WatchNotServed")).Value<TimeSpan>("Delay"));
        Assert.True(h.Watcher.IsServed);
        Assert.Equal(new ResourceWatcherCounters(0, 0, 0, 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task NotFoundErrorEvent_OnTheWatch_Relists()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces);
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5")));

        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ERROR", KubeJson.Json(NotFound)));
        var relist = await h.Server.NextListAsync();

        Assert.Equal("?limit=500&watch=false", relist.Query);
        Assert.Single(h.Logs.Named("WatchNotServed"));
        Assert.Equal(0, h.Watcher.Counters.Errors);
    }

    [Fact]
    public async Task WatchNotFoundTwiceWithoutProgress_BacksOffBeforeTheSecondRelist()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: new ScriptedRandom(0.5));
        await h.ListAsync(KubeJson.PoolList("10", KubeJson.Pool("chat", "5")));

        await (await h.Server.NextWatchAsync()).RespondAsync(404, NotFound);
        await (await h.Server.NextListAsync()).RespondAsync(200, KubeJson.PoolList("20", KubeJson.Pool("chat", "5")));
        await (await h.Server.NextWatchAsync()).RespondAsync(404, NotFound);
        var delay = (await h.Logs.WaitForAsync("WatchNotServed", 2)).Value<TimeSpan>("Delay");
        await h.Server.AssertNoRequestWithinAsync(TimeSpan.FromMilliseconds(100));
        h.Time.Advance(delay);
        var thirdList = await h.Server.NextListAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(500), delay);
        Assert.Equal("?limit=500&watch=false", thirdList.Query);
    }

    [Fact]
    public async Task ServedAndNotServed_AreLoggedOncePerTransition()
    {
        await using var h = await WatcherHarness<TestInferencePool>.StartAsync(AllNamespaces, random: new ScriptedRandom(0.5));

        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        h.Time.Advance((await h.Logs.WaitForAsync("ListNotServed", 1)).Value<TimeSpan>("Delay"));
        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        h.Time.Advance((await h.Logs.WaitForAsync("ListNotServed", 2)).Value<TimeSpan>("Delay"));
        await (await h.Server.NextListAsync()).RespondAsync(200, KubeJson.PoolList("20"));
        await (await h.Server.NextWatchAsync()).RespondAsync(404, NotFound);
        await (await h.Server.NextListAsync()).RespondAsync(404, NotFound);
        await h.Logs.WaitForAsync("ListNotServed", 3);

        Assert.Equal(2, h.Logs.Named("NotServed").Count);
        Assert.Single(h.Logs.Named("Served"));
        Assert.False(h.Watcher.IsServed);
    }

    [Fact]
    public async Task CustomResourceApi_ListAnsweredNotFound_ThrowsResourceNotServed()
    {
        await using var server = await FakeKubernetesApi.StartAsync();
        using var client = server.CreateClient();
        var api = AllNamespaces(client);

        var listing = api.ListAsync(CancellationToken.None);
        await (await server.NextListAsync()).RespondAsync(404, NotFound);
        var error = await Assert.ThrowsAsync<ResourceNotServedException>(() => listing);

        Assert.StartsWith("inferencepools.inference.networking.k8s.io/v1 is not served by the API server (404 Not Found): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the server could not find the requested resource", error.Message, StringComparison.Ordinal);
    }

    private static CustomResourceApi<TestInferencePool> AllNamespaces(k8s.IKubernetes client) =>
        new(client, TestInferencePool.Group, TestInferencePool.Version, TestInferencePool.Plural);
}
