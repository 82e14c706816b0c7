using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherLifecycleTests
{
    [Fact]
    public async Task ReadyAsync_CompletesOnlyAfterTheFirstSuccessfulList()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        var ready = h.Watcher.ReadyAsync(CancellationToken.None);

        var failing = await h.Server.NextListAsync();
        var readyWhileListing = ready.IsCompleted;
        await failing.RespondAsync(500, KubeJson.Status(500, "InternalError", "not yet"));
        var retry = await h.Server.NextListAsync();
        var readyAfterFailure = ready.IsCompleted || h.Watcher.IsReady;
        await retry.RespondAsync(200, KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        await Wait.ForAsync(ready, "ReadyAsync");

        Assert.False(readyWhileListing);
        Assert.False(readyAfterFailure);
        Assert.True(h.Watcher.IsReady);
        Assert.Equal(["default/a"], h.Watcher.Snapshot.Keys);
    }

    [Fact]
    public async Task FirstListHandler_AlreadySeesTheWatcherReady()
    {
        bool? readyInHandler = null;
        await using var h = await WatcherHarness<V1Pod>.StartAsync(
            c => new PodApi(c), beforeRun: w => w.Changed += _ => readyInHandler ??= w.IsReady);

        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();

        Assert.True(readyInHandler);
    }

    [Fact]
    public async Task ReadyAsync_HonoursItsCancellationToken()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        using var caller = new CancellationTokenSource();

        var ready = h.Watcher.ReadyAsync(caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ready);
    }

    [Fact]
    public async Task Stop_DuringAWatch_ReturnsNormally_AndClosesTheRequest()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pod("b", "11")));
        _ = await h.Changes.NextAsync();
        _ = await h.Changes.NextAsync();

        await h.StopAsync();
        await Wait.ForAsync(watch.Done, "the watch request to be closed");

        Assert.True(h.Run.IsCompletedSuccessfully);
        Assert.Single(h.Logs.Named("Stopped"));
        Assert.Equal(new ResourceWatcherCounters(0, 0, 0, 0), h.Watcher.Counters);
    }

    [Fact]
    public async Task Stop_BeforeTheFirstList_CancelsReadyAsync()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        var ready = h.Watcher.ReadyAsync(CancellationToken.None);
        _ = await h.Server.NextListAsync();

        await h.StopAsync();

        Assert.True(h.Run.IsCompletedSuccessfully);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ready);
    }

    [Fact]
    public async Task Stop_DuringABackoffDelay_ReturnsWithoutWaitingForIt()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), random: new ScriptedRandom(0.5));
        await (await h.Server.NextListAsync()).RespondAsync(500, KubeJson.Status(500, "InternalError", "down"));
        await h.Logs.WaitForAsync("ListFailed");

        await h.StopAsync();

        Assert.True(h.Run.IsCompletedSuccessfully);
        Assert.Equal(1, h.Watcher.Counters.Errors);
    }

    [Fact]
    public async Task ThrowingHandler_IsLogged_AndNeitherOtherHandlersNorTheLoopStop()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(
            c => new PodApi(c), beforeRun: w => w.Changed += _ => throw new InvalidOperationException("consumer bug"));

        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        var listed = await h.Changes.NextAsync();
        var watch = await h.Server.NextWatchAsync();
        await watch.SendAsync(KubeJson.Event("ADDED", KubeJson.Pod("b", "11")));
        var added = await h.Changes.NextAsync();

        Assert.Equal("default/a", listed.Changes.Single().Key);
        Assert.Equal("default/b", added.Changes.Single().Key);
        Assert.All(h.Logs.Named("HandlerFailed"), r => Assert.Equal("consumer bug", r.Exception!.Message));
        Assert.Equal(2, h.Logs.Named("HandlerFailed").Count);
    }

    [Fact]
    public async Task RunAsync_Twice_Throws()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        _ = await h.Server.NextListAsync(); // the harness's run is under way

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Watcher.RunAsync(CancellationToken.None));
    }
}
