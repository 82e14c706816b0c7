using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Host.Hosting;
using Suite.LocalGateway.Observation;
using Suite.Picker.Catalog;
using Suite.Picker.Pools;
using static Suite.Host.Tests.Faults.FaultSuite;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// The metrics-collector, the catalog, the queue or a picker stops while both pools carry load: pickers route on
/// their last snapshots, the collector's absence turns into each pool's failure mode once the pool data expires,
/// a restarted picker starts warm from the state store, and everything recovers by itself.
/// </summary>
[Collection(FaultInjectionRunsAlone.Name)]
public sealed class ServiceOutageTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(2);

    /// <summary>Room on either side of a moment the suite acts on, for two busy cores.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(700);

    /// <summary>The longest a service's restart may take to show in the answers clients get.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(2);

    private static readonly string[] BothModels = [ChatModel, OpenModel];

    [Fact]
    public async Task CollectorStops_RoutesOnTheLastSnapshot_ThenEachPoolFollowsItsFailureMode_AndRecovers()
    {
        await using var faults = await StartAsync(Expiry);
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, n => BothModels[n % 2]);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));

        var stopped = load.Elapsed;
        await faults.Suite.StopAsync(SuiteService.Collector);
        await WaitUntilAsync(load, stopped + Expiry + Margin + TimeSpan.FromSeconds(1));
        var restarted = load.Elapsed;
        await faults.Suite.StartAsync(SuiteService.Collector);
        await WaitUntilAsync(load, restarted + Recovery + TimeSpan.FromSeconds(1));
        var summary = new LoadSummary(await load.StopAsync());

        Assert.True(summary.Lost == 0, summary.ToString());
        var beforeExpiry = summary.StartedBetween(stopped, stopped + Expiry - Margin).ToList();
        var expired = summary.StartedBetween(stopped + Expiry + Margin, restarted).ToList();
        // The first snapshot after the restart comes within one round; the rest is room for the gateway's
        // connection to the picker, which may have dropped under the storm of declined streams (see docs/threat-model.md).
        var recovered = summary.StartedBetween(restarted + Recovery, TimeSpan.MaxValue).ToList();
        Assert.NotEmpty(beforeExpiry);
        Assert.All(beforeExpiry, r => Assert.Equal(LoadOutcome.Served, r.Outcome));

        // FailClose: the gateway refuses; FailOpen: it routes over the pool without the picker.
        Assert.Contains(expired, r => r.Model == ChatModel);
        Assert.All(expired.Where(r => r.Model == ChatModel), r => Assert.Equal((LoadOutcome.ErrorStatus, 503), (r.Outcome, r.Status)));
        Assert.Contains(expired, r => r.Model == OpenModel);
        Assert.All(expired.Where(r => r.Model == OpenModel), r => Assert.Equal(LoadOutcome.Served, r.Outcome));
        Assert.Contains(faults.Exchanges.Snapshot(), e => e.Outcome == ExchangeOutcomes.FailedOpen);

        Assert.NotEmpty(recovered);
        Assert.All(recovered, r => Assert.Equal(LoadOutcome.Served, r.Outcome));
    }

    [Fact]
    public async Task CatalogStops_PickersKeepTheirCatalog_AndTheRestartedCatalogsSnapshotIsTakenUp()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, n => BothModels[n % 2]);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));
        var before = faults.PickerService<CatalogStore>(Chat).Current!.Snapshot.Version;

        await faults.Suite.StopAsync(SuiteService.Catalog);
        await load.WaitForResultsAsync(150, TimeSpan.FromSeconds(30));
        await faults.Suite.StartAsync(SuiteService.Catalog);
        await EventuallyAsync(() => faults.PickerService<CatalogStore>(Chat).Current!.Snapshot.Version > before, "the restarted catalog's snapshot taken up");
        await load.WaitForResultsAsync(150, TimeSpan.FromSeconds(30));
        var summary = new LoadSummary(await load.StopAsync());

        Assert.True(summary.Total == summary.Count(LoadOutcome.Served), summary.ToString());
        Assert.NotNull(faults.PickerService<CatalogStore>(Chat).Current!.FindModel(ChatModel));
    }

    [Fact]
    public async Task QueueStops_SaturatedRequestsAreAdmittedLocally_AndGoThroughTheQueueAgainOnceItIsBack()
    {
        // Figures older than 1 ms count a pod as full, so the chat pool is always saturated and every request asks the queue.
        await using var faults = await StartAsync(
            TimeSpan.FromSeconds(30), new Dictionary<string, string?> { ["Picker:Saturation:StaleAfter"] = "00:00:00.001" });
        var page = faults.Suite.MetricsAddress;
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));
        var byQueueBefore = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_by_queue\"");

        await faults.Suite.StopAsync(SuiteService.Queue);
        var locallyAtStop = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_locally\"");
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var locallyDuring = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_locally\"") - locallyAtStop;
        var unavailable = await SuiteMetricsPage.SumAsync(page, Fallbacks, "reason=\"unavailable\"");

        await faults.Suite.StartAsync(SuiteService.Queue);
        var restarted = DateTimeOffset.UtcNow;
        var byQueueAtRestart = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_by_queue\"");
        await EventuallyAsync(
            () => SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_by_queue\"").Result > byQueueAtRestart, "asking the restarted queue");
        var recovery = DateTimeOffset.UtcNow - restarted;
        var byQueueBack = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_by_queue\"");
        var locallyBack = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_locally\"");
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var byQueueAfter = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_by_queue\"") - byQueueBack;
        var locallyAfter = await SuiteMetricsPage.SumAsync(page, Decisions, "outcome=\"admitted_locally\"") - locallyBack;
        var summary = new LoadSummary(await load.StopAsync());

        Assert.True(summary.Total == summary.Count(LoadOutcome.Served), summary.ToString());
        Assert.True(byQueueBefore >= 60, $"only {byQueueBefore} requests went through the queue before it stopped");
        Assert.True(locallyDuring >= 100, $"only {locallyDuring} requests were admitted locally while the queue was down");
        Assert.True(unavailable >= locallyDuring, $"{unavailable} fallbacks for an unavailable queue, {locallyDuring} admitted locally");
        Assert.True(recovery < Recovery, $"the restarted queue was first asked after {recovery.TotalSeconds:0.0} s");
        Assert.True(byQueueAfter >= 100 && locallyAfter == 0, $"after the queue came back: {byQueueAfter} through the queue, {locallyAfter} admitted locally");
    }

    [Fact]
    public async Task PickerRestarts_WhileTheCollectorIsDown_StartsWarmFromTheStateStore()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, _ => ChatModel);
        await load.WaitForResultsAsync(60, TimeSpan.FromSeconds(30));

        await faults.Suite.StopAsync(SuiteService.Collector);
        var stored = await faults.Suite.Store.GetAsync<PoolSnapshot>(StateKeys.Pool(Chat), CancellationToken.None);
        await faults.Suite.StopPickerAsync(Chat);
        var down = load.Elapsed;
        await load.WaitForResultsAsync(30, TimeSpan.FromSeconds(30));
        var up = load.Elapsed;
        await faults.Suite.StartPickerAsync(Chat);
        await faults.Suite.WaitUntilReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var warm = faults.PickerService<PoolStateStore>(Chat).Current;
        await EventuallyAsync(() => load.Results.Any(r => r.Started >= up && r.Outcome == LoadOutcome.Served), "serving through the restarted picker");
        var back = load.Results.Where(r => r.Started >= up && r.Outcome == LoadOutcome.Served).Min(r => r.Started);
        await load.WaitForResultsAsync(120, TimeSpan.FromSeconds(30));
        var summary = new LoadSummary(await load.StopAsync());

        Assert.True(summary.Lost == 0, summary.ToString());
        Assert.Equal(stored!.Version, warm!.Version);
        // Skipping the first moments: a stream the gateway opened on the stopping picker's connection may still be served.
        Assert.All(summary.StartedBetween(down + TimeSpan.FromMilliseconds(200), back), r => Assert.Equal((LoadOutcome.ErrorStatus, 503), (r.Outcome, r.Status)));
        Assert.True(back - up < Recovery + TimeSpan.FromSeconds(1), $"the restarted picker served its first request {(back - up).TotalSeconds:0.0} s after it was started");
        var afterRestart = summary.StartedBetween(back, TimeSpan.MaxValue).ToList();
        Assert.True(afterRestart.Count >= 100, summary.ToString());
        Assert.All(afterRestart, r => Assert.Equal(LoadOutcome.Served, r.Outcome));
    }

    private const string Decisions = "picker_admission_decisions_total";
    private const string Fallbacks = "picker_admission_fallbacks_total";

    private static async Task WaitUntilAsync(GatewayLoad load, TimeSpan elapsed)
    {
        while (load.Elapsed < elapsed)
        {
            await Task.Delay(20);
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"not {what} within 10 s");
            await Task.Delay(20);
        }
    }
}
