using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherWatchdogTests
{
    private static readonly TimeSpan Silence = new ResourceWatcherOptions().SilenceTimeout;

    [Fact]
    public async Task SilentWatch_IsAbandonedAfterTheSilenceTimeout_AndOpenedAgainFromTheSameVersion()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        var silent = await h.Server.NextWatchAsync();
        h.Time.Advance(Silence);
        var rewatch = await h.Server.NextWatchAsync();
        await Wait.ForAsync(silent.Done, "the watcher to close the silent watch");

        Assert.Equal(TimeSpan.FromMinutes(10), Silence);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 1, Errors: 0), h.Watcher.Counters);
        Assert.Single(h.Logs.Named("WatchSilent"));
    }

    [Fact]
    public async Task Events_ReArmTheWatchdog_SoABusyWatchStaysOpen()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        _ = await h.Changes.NextAsync();
        var watch = await h.Server.NextWatchAsync();

        h.Time.Advance(Silence * 0.8);
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("a", "11")));
        _ = await h.Changes.NextAsync();
        h.Time.Advance(Silence * 0.8);
        await watch.SendAsync(KubeJson.Bookmark("v1", "Pod", "12"));
        await h.Logs.WaitForAsync("Bookmark");
        h.Time.Advance(Silence * 0.8);
        await watch.SendAsync(KubeJson.Event("MODIFIED", KubeJson.Pod("a", "13")));
        var stillOpen = await h.Changes.NextAsync();
        var countersWhileBusy = h.Watcher.Counters;
        h.Time.Advance(Silence);
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("13", stillOpen.ResourceVersion);
        Assert.Equal(0, countersWhileBusy.WatchdogRestarts);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=13&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(1, h.Watcher.Counters.WatchdogRestarts);
    }

    [Fact]
    public async Task SilenceTimeoutOption_SetsTheWatchdogPeriod()
    {
        var options = new ResourceWatcherOptions { WatchTimeout = TimeSpan.FromSeconds(30), SilenceTimeout = TimeSpan.FromSeconds(45) };
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), options);
        await h.ListAsync(KubeJson.PodList("10"));

        var silent = await h.Server.NextWatchAsync();
        h.Time.Advance(TimeSpan.FromSeconds(45));
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=30&watch=true", silent.Query);
        Assert.Equal(rewatch.Query, silent.Query);
        Assert.Equal(1, h.Watcher.Counters.WatchdogRestarts);
    }
}
