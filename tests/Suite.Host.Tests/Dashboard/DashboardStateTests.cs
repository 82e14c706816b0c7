using Microsoft.Extensions.Time.Testing;
using Suite.Host.Dashboard;
using static Suite.Host.Tests.Dashboard.DashboardSamples;

namespace Suite.Host.Tests.Dashboard;

public class DashboardStateTests
{
    private readonly FakeTimeProvider _time = new(Start);
    private readonly DashboardState _state;

    public DashboardStateTests() => _state = new DashboardState(_time);

    [Fact]
    public void Completed_MixedStatuses_CountsTotalsByStatusClass()
    {
        foreach (var status in new[] { 200, 200, 201, 429, 429, 503, 404 })
        {
            _state.Completed(Exchange("pool-a", "base", status));
        }

        var totals = _state.Snapshot().Totals;

        Assert.Equal((7L, 3L, 2L, 2L, 4L), (totals.Requests, totals.Ok, totals.Throttled, totals.OtherErrors, totals.Errors));
    }

    [Fact]
    public void Completed_PerModel_CountsEachModelByStatusClassMostRequestsFirst()
    {
        _state.Completed(Exchange("pool-a", "base", 200));
        _state.Completed(Exchange("pool-a", "chat", 200));
        _state.Completed(Exchange("pool-a", "chat", 429));
        _state.Completed(Exchange("pool-a", "chat", 500));
        _state.Completed(Exchange("pool-a", null, 400));

        var byModel = _state.Snapshot().ByModel;

        Assert.Equal<ModelCounts>(
            [new ModelCounts("chat", 3, 1, 1, 1), new ModelCounts("(none)", 1, 0, 0, 1), new ModelCounts("base", 1, 1, 0, 0)],
            byModel);
    }

    [Fact]
    public void Completed_KnownObjective_CountsUnderTheObjectivesPriority()
    {
        _state.Apply(PoolCatalog("pool-a"));

        _state.Completed(Exchange("pool-a", "chat", 200, objective: "bulk"));
        _state.Completed(Exchange("pool-a", "batch", 200, objective: "premium"));

        Assert.Equal<PriorityCounts>([new PriorityCounts(5, 1, 1, 0, 0), new PriorityCounts(-3, 1, 1, 0, 0)], _state.Snapshot().ByPriority);
    }

    [Fact]
    public void Completed_NoKnownObjective_CountsUnderTheModelsCriticalityAsTheQueueMapsIt()
    {
        _state.Apply(PoolCatalog("pool-a"));

        _state.Completed(Exchange("pool-a", "chat", 200));
        _state.Completed(Exchange("pool-a", "chat", 200, objective: "no-such-objective"));
        _state.Completed(Exchange("pool-a", "base", 200));
        _state.Completed(Exchange("pool-a", "batch", 429));
        _state.Completed(Exchange("pool-a", "alias", 200));
        _state.Completed(Exchange("pool-a", "unknown-model", 404));

        Assert.Equal<PriorityCounts>(
            [new PriorityCounts(1, 2, 2, 0, 0), new PriorityCounts(0, 3, 2, 0, 1), new PriorityCounts(-1, 1, 0, 1, 0)],
            _state.Snapshot().ByPriority);
    }

    [Fact]
    public void Completed_PoolWithoutCatalog_CountsAsStandard()
    {
        _state.Apply(PoolCatalog("pool-a"));

        _state.Completed(Exchange("pool-b", "chat", 200, objective: "premium"));

        Assert.Equal<PriorityCounts>([new PriorityCounts(0, 1, 1, 0, 0)], _state.Snapshot().ByPriority);
    }

    [Fact]
    public void Apply_OlderCatalogAfterNewer_KeepsTheNewer()
    {
        _state.Apply(PoolCatalog("pool-a", version: 2));
        _state.Apply(PoolCatalog("pool-a", version: 1) with { Models = [], Objectives = [] });

        _state.Completed(Exchange("pool-a", "chat", 200));

        Assert.Equal(1, Assert.Single(_state.Snapshot().ByPriority).Priority);
    }

    [Fact]
    public void Completed_MoreThanTheRing_KeepsTheLatestDecisionsNewestFirst()
    {
        for (var i = 0; i < DashboardState.DecisionCapacity + 5; i++)
        {
            _state.Completed(Exchange("pool-a", $"model-{i}", 200, completed: Start.AddSeconds(i)));
        }

        var decisions = _state.Snapshot().Decisions;

        Assert.Equal(DashboardState.DecisionCapacity, decisions.Length);
        Assert.Equal("model-34", decisions[0].Model);
        Assert.Equal("model-5", decisions[^1].Model);
        Assert.Equal(Start.AddSeconds(34), decisions[0].Time);
    }

    [Fact]
    public void Completed_WithPickerDecision_ShowsThePickedEndpointsScores()
    {
        _state.Apply(PoolCatalog("pool-a"));
        _state.Completed(Exchange(
            "pool-a", "chat", 200, objective: "premium", endpoint: "10.0.0.2:8000",
            decision: "picked=10.0.0.2:8000 candidates=4; 10.0.0.2:8000 total=5.600 queue-depth=1.000 kv-cache=0.800; 10.0.0.3:8000 total=4.000 queue-depth=0.500 kv-cache=0.500"));

        var decision = Assert.Single(_state.Snapshot().Decisions);

        Assert.Equal(
            ("pool-a", "chat", "premium", 5, 200, "10.0.0.2:8000", "10.0.0.2:8000", 4, 5.6, 12.3),
            (decision.Pool, decision.Model, decision.Objective, decision.Priority, decision.Status, decision.Endpoint, decision.Picked,
                decision.Candidates, decision.Score, decision.DurationMs));
        Assert.Equal<ScorerScore>([new ScorerScore("queue-depth", 1.0), new ScorerScore("kv-cache", 0.8)], decision.Scores);
    }

    [Fact]
    public void RequestsPerSecond_RequestsOlderThanTenSeconds_AreNotCounted()
    {
        for (var i = 0; i < 30; i++)
        {
            _state.Completed(Exchange("pool-a", "base", 200));
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 20; i++)
        {
            _state.Completed(Exchange("pool-a", "base", 200));
        }

        var both = _state.Snapshot().Totals.RequestsPerSecond;
        _time.Advance(TimeSpan.FromSeconds(6));
        var lastOnly = _state.Snapshot().Totals.RequestsPerSecond;
        _time.Advance(TimeSpan.FromSeconds(5));
        var none = _state.Snapshot().Totals.RequestsPerSecond;

        Assert.Equal((5.0, 2.0, 0.0), (both, lastOnly, none));
        Assert.Equal(50, _state.Snapshot().Totals.Requests);
    }

    [Fact]
    public void Apply_PoolSnapshot_ShowsEveryPodWithFreshness()
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        var now = _time.GetUtcNow();
        _state.Apply(Pods(
            "pool-a",
            7,
            now,
            Pod("10.0.0.1:8000", "vllm-0", 2, 5, 0.8, now.AddMilliseconds(-50), adapters: ["sql-lora"], waitingAdapters: ["code-lora"]),
            Pod("10.0.0.2:8000", "vllm-1", 0, 1, 0.123, now.AddMilliseconds(-50), stale: true),
            Pod("10.0.0.3:8000", "", 0, 0, 0, now.AddSeconds(-3))));

        var pool = Assert.Single(_state.Snapshot().Pools);

        Assert.Equal(("pool-a", 7L, now), (pool.Name, pool.SnapshotVersion, pool.SnapshotAt));
        Assert.Equal(
            [
                ("10.0.0.1:8000", "vllm-0", true, 2, 5, 80.0, "sql-lora", "code-lora"),
                ("10.0.0.2:8000", "vllm-1", false, 0, 1, 12.3, "", ""),
                ("10.0.0.3:8000", null, false, 0, 0, 0.0, "", ""),
            ],
            pool.Pods.Select(p => (p.Address, p.PodName, p.Fresh, p.Waiting, p.Running, p.KvCachePercent,
                string.Join(',', p.Adapters), string.Join(',', p.WaitingAdapters))));
    }

    [Fact]
    public void Apply_OlderPoolSnapshotAfterNewer_KeepsTheNewer()
    {
        _state.Apply(Pods("pool-a", 8, Start, Pod("10.0.0.1:8000", "vllm-0", 3, 0, 0, Start)));
        _state.Apply(Pods("pool-a", 7, Start, Pod("10.0.0.9:8000", "vllm-9", 0, 0, 0, Start)));

        var pool = Assert.Single(_state.Snapshot().Pools);

        Assert.Equal((8L, "10.0.0.1:8000"), (pool.SnapshotVersion, Assert.Single(pool.Pods).Address));
    }

    [Fact]
    public void Apply_PoolPressure_ShowsTheLatestDepthSaturationAndBands()
    {
        _state.Apply(Pressure("pool-a", 4, 1.23456, version: 2, Start.AddSeconds(1)));
        _state.Apply(Pressure("pool-a", 9, 2.0, version: 1, Start));

        var queue = Assert.Single(_state.Snapshot().Pools).Queue;

        Assert.Equal((4, 1.235, Start.AddSeconds(1)), (queue.Depth, queue.Saturation, queue.PressureAt));
        Assert.Equal<BandDepth>([new BandDepth(1, 3), new BandDepth(-1, 1)], queue.DepthByBand);
    }

    [Fact]
    public void QueueDecided_KnownPool_CountsEachOutcome()
    {
        _state.Apply(Pressure("pool-a", 0, 0.5, version: 1, Start));

        _state.QueueDecided("pool-a", "admitted", 3);
        _state.QueueDecided("pool-a", "shed", 2);
        _state.QueueDecided("pool-a", "queue_full", 1);
        _state.QueueDecided("pool-a", "expired", 4);
        _state.QueueDecided("pool-a", "withdrawn", 5);
        _state.QueueDecided("pool-a", "admitted", 1);

        Assert.Equal(new QueueDecisionCounts(4, 2, 1, 4, 5), Assert.Single(_state.Snapshot().Pools).Queue.QueueDecisions);
    }

    [Fact]
    public void QueueDecided_PoolNeverHeardOf_IsIgnored()
    {
        _state.QueueDecided("another-suites-pool", "admitted", 3);

        Assert.Empty(_state.Snapshot().Pools);
    }

    [Fact]
    public void Completed_PickerFlowControlAnswers_CountedPerPoolAsTurnedAway()
    {
        _state.Completed(Exchange("pool-a", "batch", 429, detail: "picker_request_shed"));
        _state.Completed(Exchange("pool-a", "batch", 429, detail: "picker_request_shed"));
        _state.Completed(Exchange("pool-a", "base", 429, detail: "picker_queue_full"));
        _state.Completed(Exchange("pool-a", "base", 503, detail: "picker_queue_expired"));
        _state.Completed(Exchange("pool-a", "base", 503, detail: "picker_no_endpoints"));
        _state.Completed(Exchange("pool-b", "base", 429, detail: "picker_request_shed"));

        var pools = _state.Snapshot().Pools;

        Assert.Equal(
            [("pool-a", new FlowRejections(2, 1, 1)), ("pool-b", new FlowRejections(1, 0, 0))],
            pools.Select(p => (p.Name, p.Queue.Rejected)));
    }

    [Fact]
    public void Completed_MoreModelNamesThanCounted_ShareOneOtherRow()
    {
        for (var i = 0; i < DashboardState.ModelCapacity + 3; i++)
        {
            _state.Completed(Exchange("pool-a", $"m{i:D3}", 200));
        }

        var byModel = _state.Snapshot().ByModel;

        Assert.Equal(DashboardState.ModelCapacity + 1, byModel.Length);
        Assert.Equal(new ModelCounts(DashboardState.OtherModels, 3, 3, 0, 0), byModel[0]);
    }
}
