using Suite.LocalGateway.Observation;
using static Suite.Host.Tests.Faults.FaultSuite;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// A model server dies mid-stream, hangs, or stops answering <c>/metrics</c> while the chat pool carries load: every
/// request still ends (served, or with an error the client sees), the picker's in-flight counts come back to zero,
/// the pod is marked stale and avoided within a bound, and comes back once healthy.
/// </summary>
[Collection(FaultInjectionRunsAlone.Name)]
public sealed class ModelServerFaultTests
{
    /// <summary>
    /// From the fault to the picker holding the pod as stale: a failed scrape (at most <see cref="ScrapeTimeout"/>,
    /// plus a 50 ms round) marks it at once; the rest is room for two busy cores.
    /// </summary>
    private static readonly TimeSpan StaleBound = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task PodDiesMidStream_EveryRequestEnds_AndTheInFlightCountsReturnToZero()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        var dying = faults.PoolNamed(Chat).Fleet!.Instances[0];
        dying.Faults = dying.Faults with { DieRate = 1, DieAfterTokens = 1 };

        var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(240, TimeSpan.FromSeconds(60));
        var summary = new LoadSummary(await load.StopAsync());
        await load.DisposeAsync();

        await faults.GatewayReportedAsync(summary.Total);

        Assert.True(summary.Lost == 0, summary.ToString());
        Assert.True(summary.Count(LoadOutcome.Broken) > 0, $"no stream died: {summary}");
        Assert.True(summary.Total == summary.Count(LoadOutcome.Served) + summary.Count(LoadOutcome.Broken) + summary.Count(LoadOutcome.ErrorStatus), summary.ToString());
        var failedUpstream = faults.Exchanges.Snapshot().Where(e => e.Detail?.StartsWith("upstream ", StringComparison.Ordinal) == true).ToList();
        Assert.True(summary.Count(LoadOutcome.Broken) + summary.Count(LoadOutcome.ErrorStatus) == failedUpstream.Count, $"{failedUpstream.Count} upstream failures at the gateway; {summary}");
        Assert.All(summary.Results.Where(r => r.Outcome == LoadOutcome.ErrorStatus), r => Assert.Equal(502, r.Status)); // died before its first byte
        Assert.All(failedUpstream, exchange => Assert.Equal(faults.ChatPod(0), exchange.Endpoint));
        await InFlightReturnsToZeroAsync(faults);
    }

    [Fact]
    public async Task PodStopsAnsweringMetrics_IsAvoidedWithinTheBound_AndServesAgainOnceItAnswers()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        var pod = faults.PoolNamed(Chat).Fleet!.Instances[0];
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));
        Assert.True(ServedBy(faults, 0, since: DateTimeOffset.MinValue) > 0, "pod 0 served nothing before the fault");

        pod.Faults = pod.Faults with { MetricsSilent = true };
        var silent = await StaleWithinBoundAsync(faults, 0, stale: true);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var servedWhileSilent = ServedBy(faults, 0, since: silent);

        pod.Faults = pod.Faults with { MetricsSilent = false };
        var back = await StaleWithinBoundAsync(faults, 0, stale: false);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var servedAfter = ServedBy(faults, 0, since: back);
        var summary = new LoadSummary(await load.StopAsync());

        Assert.Equal(0, servedWhileSilent);
        Assert.True(servedAfter > 0, "pod 0 got no request after its metrics came back");
        Assert.True(summary.Total == summary.Count(LoadOutcome.Served), summary.ToString());
        await InFlightReturnsToZeroAsync(faults);
    }

    [Fact]
    public async Task PodHangs_ItsRequestsEndWithAnError_ItIsAvoided_AndServesAgainOnceItRecovers()
    {
        await using var faults = await StartAsync(
            TimeSpan.FromSeconds(30), new Dictionary<string, string?> { ["Gateway:UpstreamIdleTimeout"] = "00:00:02" });
        var pod = faults.PoolNamed(Chat).Fleet!.Instances[0];
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));

        // A wedged server: it takes requests and never answers them, nor its /metrics.
        var hungAt = load.Elapsed;
        pod.Faults = pod.Faults with { Paused = true, MetricsSilent = true };
        var silent = await StaleWithinBoundAsync(faults, 0, stale: true);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        while (load.Elapsed < hungAt + IdleTimeout + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(50); // the requests it holds must reach the gateway's idle timeout before it recovers
        }

        var servedWhileHung = ServedBy(faults, 0, since: silent);

        pod.Faults = pod.Faults with { Paused = false, MetricsSilent = false };
        var back = await StaleWithinBoundAsync(faults, 0, stale: false);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var servedAfter = ServedBy(faults, 0, since: back);
        var summary = new LoadSummary(await load.StopAsync());
        var hungRequests = summary.Results.Where(r => r.Ended >= hungAt && r.Outcome != LoadOutcome.Served).ToList();

        Assert.True(summary.Lost == 0, summary.ToString());
        Assert.True(hungRequests.Count > 0, $"no request failed on the hung pod: hung at {hungAt}, stale at {silent}; {summary}; served by pod 0 before: {ServedBy(faults, 0, DateTimeOffset.MinValue)}; exchanges {string.Join("; ", faults.Exchanges.Snapshot().Where(e => e.Endpoint == faults.ChatPod(0)).TakeLast(4))}");
        Assert.All(hungRequests, r => Assert.True(
            (r.Outcome == LoadOutcome.ErrorStatus && r.Status == 504) || r.Outcome == LoadOutcome.Broken,
            $"a request to the hung pod ended {r}"));
        Assert.All(hungRequests, r => Assert.True(r.Ended - r.Started < IdleTimeout + TimeSpan.FromSeconds(2), $"{r} took longer than the idle timeout"));
        Assert.Equal(0, servedWhileHung);
        Assert.True(servedAfter > 0, "pod 0 got no request after it recovered");
        await InFlightReturnsToZeroAsync(faults);
    }

    [Fact]
    public async Task PodKilled_NoRequestIsLost_ItIsMarkedStale_AndARestartedPodServesAgain()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));

        await faults.Suite.StopPodAsync(Chat, 0);
        await StaleWithinBoundAsync(faults, 0, stale: true);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));

        await faults.Suite.StartPodAsync(Chat, 0);
        var back = await StaleWithinBoundAsync(faults, 0, stale: false);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var servedAfter = ServedBy(faults, 0, since: back);
        var summary = new LoadSummary(await load.StopAsync());

        // Requests on the pod when it died end with an error; every other one is served (a refused connection
        // moves on to the picker's fallback).
        Assert.True(summary.Lost == 0, summary.ToString());
        Assert.True(summary.Count(LoadOutcome.Served) + summary.Count(LoadOutcome.Broken) + summary.Count(LoadOutcome.ErrorStatus) == summary.Total, summary.ToString());
        Assert.True(summary.Count(LoadOutcome.Broken) + summary.Count(LoadOutcome.ErrorStatus) <= 6, $"more requests failed than were in flight at the kill: {summary}");
        Assert.True(servedAfter > 0, "the restarted pod got no request");
        await InFlightReturnsToZeroAsync(faults);
    }

    /// <summary>Waits until the chat picker holds pod <paramref name="index"/> as stale (or fresh), asserting the bound; returns when.</summary>
    private static async Task<DateTimeOffset> StaleWithinBoundAsync(FaultSuite faults, int index, bool stale)
    {
        var from = DateTimeOffset.UtcNow;
        while (faults.ChatEndpoint(index)?.Metrics.Stale != stale)
        {
            Assert.True(DateTimeOffset.UtcNow - from < StaleBound, $"pod {index} not {(stale ? "stale" : "fresh")} within {StaleBound.TotalSeconds} s");
            await Task.Delay(10);
        }

        return DateTimeOffset.UtcNow;
    }

    /// <summary>Requests the gateway proxied to chat pod <paramref name="index"/> that started after <paramref name="since"/>.</summary>
    private static int ServedBy(FaultSuite faults, int index, DateTimeOffset since) =>
        faults.Exchanges.Snapshot().Count(e =>
            e.Outcome == ExchangeOutcomes.Proxied && e.Endpoint == faults.ChatPod(index) && e.Completed - e.Duration > since);

    private static async Task InFlightReturnsToZeroAsync(FaultSuite faults)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (faults.ChatInFlight().Any(count => count != 0))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"in flight per chat pod after the load: {string.Join(", ", faults.ChatInFlight())}");
            await Task.Delay(20);
        }
    }
}
