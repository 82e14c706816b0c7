using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Catalog;
using Suite.Queue.Admission;
using Suite.Queue.Hosting;
using Suite.Queue.Waiting;

namespace Suite.Queue.Tests.Admission;

public sealed class PoolAdmissionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly QueueOptions _options = new();
    private readonly PoolAdmission _pool;
    private long _version;

    public PoolAdmissionTests() => _pool = new PoolAdmission(Pools.Name, _options, _time);

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Unsaturated_AdmittedAtOnce_WithinTheBudget()
    {
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (3, 0.2))); // saturation 0.6: room for floor(0.4 × 5) = 2

        var outcomes = Enumerable.Range(0, 3).Select(_ => _pool.Enter(Standard()).Decided?.Kind).ToArray();

        Assert.Equal([QueueOutcomeKind.Admitted, QueueOutcomeKind.Admitted, null], outcomes);
        Assert.Equal(1, _pool.Pressure.QueueDepth);
    }

    [Fact]
    public void Saturated_SheddableShed_StandardWaits_CriticalWaits()
    {
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.5), (6, 0.9)));

        var sheddable = _pool.Enter(Args(Criticality.Sheddable));
        var standard = _pool.Enter(Standard());
        var critical = _pool.Enter(Args(Criticality.Critical));

        Assert.Equal(QueueOutcomeKind.Shed, sheddable.Decided?.Kind);
        Assert.Equal((null, 0, 1), (standard.Decided, standard.Band, standard.Depth));
        Assert.Equal((null, 1, 2), (critical.Decided, critical.Band, critical.Depth));
    }

    [Fact]
    public async Task Release_StrictPriorityOrder_OneBudgetAtATime()
    {
        Saturate();
        var standard = _pool.Enter(Standard()).Waiting!;
        var objective5 = _pool.Enter(Args(Criticality.Standard, priority: 5)).Waiting!;
        var critical = _pool.Enter(Args(Criticality.Critical)).Waiting!;

        var order = new List<WaitingRequest>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            OneFreeSlot();
            order.Add(new[] { standard, objective5, critical }.Single(r => r.Outcome.IsCompleted && !order.Contains(r)));
        }

        Assert.Equal([objective5, critical, standard], order);
        Assert.Equal([QueueOutcomeKind.Admitted, QueueOutcomeKind.Admitted, QueueOutcomeKind.Admitted], (await Task.WhenAll(order.Select(r => r.Outcome))).Select(o => o.Kind));
    }

    [Fact]
    public void Release_RoundRobinBetweenFlows_SoTheSmallFlowIsNotStarved()
    {
        Saturate();
        var batch = Enumerable.Range(0, 10).Select(_ => _pool.Enter(Standard(flow: "batch-tenant")).Waiting!).ToList();
        var chat = Enumerable.Range(0, 2).Select(_ => _pool.Enter(Standard(flow: "chat-tenant")).Waiting!).ToList();

        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (1, 0.1))); // room for 4

        Assert.Equal([true, true, false], batch.Take(3).Select(r => r.Outcome.IsCompleted));
        Assert.Equal([true, true], chat.Select(r => r.Outcome.IsCompleted));
        Assert.Equal(8, _pool.Pressure.QueueDepth);
    }

    [Fact]
    public void EarliestDeadlineWithinAFlow_WhenConfigured()
    {
        var pool = new PoolAdmission(Pools.Name, new QueueOptions { WithinFlow = FlowOrdering.EarliestDeadline }, _time);
        pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1)));
        var late = pool.Enter(Standard(deadline: Now.AddSeconds(20))).Waiting!;
        var soon = pool.Enter(Standard(deadline: Now.AddSeconds(5))).Waiting!;

        pool.OnPoolState(Pools.Snapshot(++_version, Now.AddMilliseconds(50), (4, 0.1))); // room for 1

        Assert.Equal((true, false), (soon.Outcome.IsCompleted, late.Outcome.IsCompleted));
    }

    [Fact]
    public async Task DeadlinePassed_Expired_AndTheQueueEmpties()
    {
        Saturate();
        var request = _pool.Enter(Standard(deadline: Now.AddSeconds(2))).Waiting!;

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        var before = request.Outcome.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(before);
        Assert.Equal(new QueueOutcome(QueueOutcomeKind.Expired, TimeSpan.FromSeconds(2)), await request.Outcome);
        Assert.Equal(0, _pool.Pressure.QueueDepth);
    }

    [Fact]
    public async Task NoDeadline_TheDefaultTimeToLive()
    {
        Saturate();
        var request = _pool.Enter(Standard()).Waiting!;

        _time.Advance(_options.DefaultTimeToLive);

        Assert.Equal(QueueOutcomeKind.Expired, (await request.Outcome).Kind);
    }

    [Fact]
    public void BandFull_QueueFull_ButCriticalIsAdmittedInstead()
    {
        var pool = new PoolAdmission(Pools.Name, new QueueOptions { DefaultBandLimits = new BandLimits { MaxRequests = 1 } }, _time);
        pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1)));
        pool.Enter(Standard());
        pool.Enter(Args(Criticality.Critical));

        var standard = pool.Enter(Standard());
        var critical = pool.Enter(Args(Criticality.Critical));

        Assert.Equal((QueueOutcomeKind.QueueFull, QueueOutcomeKind.Admitted), (standard.Decided?.Kind, critical.Decided?.Kind));
    }

    [Fact]
    public void BandByteLimit_QueueFull()
    {
        var pool = new PoolAdmission(Pools.Name, new QueueOptions { DefaultBandLimits = new BandLimits { MaxBytes = 1000 } }, _time);
        pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1)));

        var first = pool.Enter(Standard(size: 600));
        var second = pool.Enter(Standard(size: 600));

        Assert.Equal((null, QueueOutcomeKind.QueueFull), (first.Decided?.Kind, second.Decided?.Kind));
    }

    [Fact]
    public async Task Withdrawn_LeavesAtOnce_AndIsNotReleasedLater()
    {
        Saturate();
        var gone = _pool.Enter(Standard()).Waiting!;
        var next = _pool.Enter(Standard()).Waiting!;
        using var cancel = new CancellationTokenSource();
        var waiting = _pool.WaitAsync(gone, cancel.Token);

        await cancel.CancelAsync();
        var depthAfterCancel = _pool.Pressure.QueueDepth;
        OneFreeSlot();

        Assert.Equal(QueueOutcomeKind.Withdrawn, (await waiting).Kind);
        Assert.Equal(1, depthAfterCancel);
        Assert.Equal(QueueOutcomeKind.Admitted, (await next.Outcome).Kind);
    }

    [Fact]
    public void Releases_NotSeenByTheNextSnapshot_AreCountedAgainstIt()
    {
        Saturate();
        var waiting = Enumerable.Range(0, 4).Select(_ => _pool.Enter(Standard()).Waiting!).ToList();
        var measured = Now;
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _pool.OnPoolState(Pools.Snapshot(++_version, measured, (3, 0.1))); // room for 2: two released after the measurement

        // The next snapshot carries the same measurement (no scrape since): the two releases are still unseen.
        _pool.OnPoolState(Pools.Snapshot(++_version, measured, (3, 0.1)));
        var afterRepeat = waiting.Count(r => r.Outcome.IsCompleted);

        // A newer scrape that saw them (the pod now has 5 waiting) leaves no room.
        _time.Advance(TimeSpan.FromMilliseconds(40));
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1)));

        Assert.Equal(2, afterRepeat);
        Assert.Equal(2, waiting.Count(r => r.Outcome.IsCompleted));
    }

    [Fact]
    public void NoFiguresYet_AdmitsAndShedsAsAPickerAloneWould()
    {
        var standard = _pool.Enter(Standard());
        var sheddable = _pool.Enter(Args(Criticality.Sheddable));

        Assert.Equal((QueueOutcomeKind.Admitted, QueueOutcomeKind.Shed), (standard.Decided?.Kind, sheddable.Decided?.Kind));
    }

    [Fact]
    public async Task EveryPodTurnsStale_WaitingRequestsReleased_SheddableShed()
    {
        Saturate();
        var standard = _pool.Enter(Standard()).Waiting!;
        var objectiveMinus2 = _pool.Enter(Args(Criticality.Standard, priority: -2));

        _pool.OnPoolState(Pools.Stale(++_version, Now, pods: 2));

        Assert.Equal(QueueOutcomeKind.Shed, objectiveMinus2.Decided?.Kind); // saturated and negative: shed at once
        Assert.Equal(QueueOutcomeKind.Admitted, (await standard.Outcome).Kind);
    }

    [Fact]
    public async Task PoolWithoutPods_RequestsWaitForPods_AndAreReleasedWhenTheyCome()
    {
        _pool.OnPoolState(Pools.Empty(++_version, Now));
        var request = _pool.Enter(Standard(model: "llama-8b")).Waiting!;
        var pressure = _pool.Pressure;

        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (0, 0.0)));

        Assert.Equal((1.0, 1, 1), (pressure.Saturation, pressure.QueueDepth, pressure.DepthByModel["llama-8b"]));
        Assert.Equal(QueueOutcomeKind.Admitted, (await request.Outcome).Kind);
    }

    [Fact]
    public void PodsJustBelowSaturation_ButABacklogHere_SheddableShedAtOnce()
    {
        Saturate();
        var waiting = Enumerable.Range(0, 3).Select(_ => _pool.Enter(Args(Criticality.Critical)).Waiting!).ToList();
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (3, 0.1), (4, 0.1))); // room for 3: the three go; saturation 0.7
        var critical = _pool.Enter(Args(Criticality.Critical)).Waiting!;
        var nextCritical = _pool.Enter(Args(Criticality.Critical)).Waiting!;

        // Demand: 0.7 + 2 waiting / (2 pods × 5) = 0.9, so a sheddable may still wait; with it and one more critical, 1.1.
        var sheddableBelow = _pool.Enter(Args(Criticality.Sheddable));
        var thirdCritical = _pool.Enter(Args(Criticality.Critical)).Waiting!;
        var sheddableAt = _pool.Enter(Args(Criticality.Sheddable));

        Assert.All(waiting, r => Assert.True(r.Outcome.IsCompleted));
        Assert.Equal((null, QueueOutcomeKind.Shed), (sheddableBelow.Decided?.Kind, sheddableAt.Decided?.Kind));
        Assert.All(new[] { critical, nextCritical, thirdCritical }, r => Assert.False(r.Outcome.IsCompleted));
    }

    [Fact]
    public async Task WaitingSheddable_ShedOnceTheDemandReachesOne()
    {
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (4, 0.1))); // room for 1
        _pool.Enter(Standard());                                        // takes it
        var sheddable = _pool.Enter(Args(Criticality.Sheddable)).Waiting!;
        var critical = _pool.Enter(Args(Criticality.Critical)).Waiting!;
        var pending = sheddable.Outcome.IsCompleted;

        _time.Advance(TimeSpan.FromMilliseconds(50));
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1))); // saturated, with two waiting here

        Assert.False(pending);
        Assert.Equal(QueueOutcomeKind.Shed, (await sheddable.Outcome).Kind);
        Assert.False(critical.Outcome.IsCompleted);
        Assert.Equal(1, _pool.Pressure.QueueDepth);
    }

    [Fact]
    public void OlderSnapshot_Ignored()
    {
        _pool.OnPoolState(Pools.Snapshot(5, Now, (5, 0.1)));
        _pool.OnPoolState(Pools.Snapshot(4, Now, (0, 0.1)));

        Assert.Null(_pool.Enter(Standard()).Decided);
    }

    private void Saturate() => _pool.OnPoolState(Pools.Snapshot(++_version, Now, (5, 0.1)));

    /// <summary>A new scrape shows the pod with room for exactly one more request.</summary>
    private void OneFreeSlot()
    {
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _pool.OnPoolState(Pools.Snapshot(++_version, Now, (4, 0.1)));
    }

    private static AdmissionArgs Standard(string flow = "default-flow", DateTimeOffset? deadline = null, long size = 100, string model = "llama") =>
        new(Pools.Name, Guid.NewGuid().ToString("N"), Criticality.Standard, null, flow, model, size, deadline);

    private static AdmissionArgs Args(Criticality criticality, int? priority = null) =>
        new(Pools.Name, Guid.NewGuid().ToString("N"), criticality, priority, "default-flow", "llama", 100, null);
}
