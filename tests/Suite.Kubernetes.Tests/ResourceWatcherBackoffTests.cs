using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherBackoffTests
{
    [Fact]
    public async Task ListServerErrors_AreRetriedWithFullJitterBackoff_ThatResetsAfterASuccessfulList()
    {
        // Defaults: base 1 s, cap 30 s; ceilings 1 s, 2 s, 4 s, then 1 s again after the list succeeds.
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), random: new ScriptedRandom(0.5, 0.75, 0.1, 0.9));

        await (await h.Server.NextListAsync()).RespondAsync(500, KubeJson.Status(500, "InternalError", "etcdserver: leader changed"));
        var first = (await h.Logs.WaitForAsync("ListFailed", 1)).Value<TimeSpan>("Delay");
        h.Time.Advance(first - TimeSpan.FromTicks(1));
        await h.Server.AssertNoRequestWithinAsync(TimeSpan.FromMilliseconds(100));
        h.Time.Advance(TimeSpan.FromTicks(1));

        await (await h.Server.NextListAsync()).RespondAsync(503, KubeJson.Status(503, "ServiceUnavailable", "try again"));
        var second = (await h.Logs.WaitForAsync("ListFailed", 2)).Value<TimeSpan>("Delay");
        h.Time.Advance(second);

        await (await h.Server.NextListAsync()).RespondAsync(500, KubeJson.Status(500, "InternalError", "still failing"));
        var third = (await h.Logs.WaitForAsync("ListFailed", 3)).Value<TimeSpan>("Delay");
        h.Time.Advance(third);

        await (await h.Server.NextListAsync()).RespondAsync(200, KubeJson.PodList("10", KubeJson.Pod("a", "5")));
        await Wait.ForAsync(h.Watcher.ReadyAsync(CancellationToken.None), "the first successful list");
        await (await h.Server.NextWatchAsync()).RespondAsync(500, KubeJson.Status(500, "InternalError", "watch failed"));
        var afterReset = (await h.Logs.WaitForAsync("WatchFailed")).Value<TimeSpan>("Delay");
        h.Time.Advance(afterReset);
        var rewatch = await h.Server.NextWatchAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(500), first);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), second);
        Assert.Equal(TimeSpan.FromMilliseconds(400), third);
        Assert.Equal(TimeSpan.FromMilliseconds(900), afterReset);
        Assert.Equal("?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=300&watch=true", rewatch.Query);
        Assert.Equal(new ResourceWatcherCounters(Relists: 0, Restarts: 1, WatchdogRestarts: 0, Errors: 4), h.Watcher.Counters);
    }

    [Fact]
    public async Task BackoffOptions_SetTheCeilings()
    {
        var options = new ResourceWatcherOptions { BackoffBase = TimeSpan.FromMilliseconds(200), BackoffCap = TimeSpan.FromMilliseconds(300) };
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), options, new ScriptedRandom(0.5));

        await (await h.Server.NextListAsync()).RespondAsync(500, "{}");
        h.Time.Advance((await h.Logs.WaitForAsync("ListFailed", 1)).Value<TimeSpan>("Delay"));
        await (await h.Server.NextListAsync()).RespondAsync(500, "{}");
        var capped = (await h.Logs.WaitForAsync("ListFailed", 2)).Value<TimeSpan>("Delay");

        Assert.Equal(TimeSpan.FromMilliseconds(100), h.Logs.Named("ListFailed")[0].Value<TimeSpan>("Delay"));
        Assert.Equal(TimeSpan.FromMilliseconds(150), capped);
    }

    [Fact]
    public async Task GoneTwiceWithoutProgress_BacksOffBeforeTheSecondRelist()
    {
        await using var h = await WatcherHarness<V1Pod>.StartAsync(c => new PodApi(c), random: new ScriptedRandom(0.5));
        await h.ListAsync(KubeJson.PodList("10", KubeJson.Pod("a", "5")));

        await (await h.Server.NextWatchAsync()).RespondAsync(410, KubeJson.Gone("10"));
        await (await h.Server.NextListAsync()).RespondAsync(200, KubeJson.PodList("20", KubeJson.Pod("a", "5")));
        await (await h.Server.NextWatchAsync()).RespondAsync(410, KubeJson.Gone("20"));
        var expired = await h.Logs.WaitForAsync("Expired", 2);
        h.Time.Advance(expired.Value<TimeSpan>("Delay"));
        var thirdList = await h.Server.NextListAsync();

        Assert.Equal(TimeSpan.Zero, h.Logs.Named("Expired")[0].Value<TimeSpan>("Delay"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), expired.Value<TimeSpan>("Delay"));
        Assert.Equal("?limit=500&watch=false", thirdList.Query);
        Assert.Equal(2, h.Watcher.Counters.Relists);
    }
}
