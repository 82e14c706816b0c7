using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Pools;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling;

public sealed class SchedulerTests
{
    private readonly FakeTimeProvider _time = new(Start);
    private readonly PoolStateStore _pool = new();
    private readonly InFlightLoad _inFlight;
    private readonly FixedProfileSource _profiles;
    private readonly ScriptedRandom _random = new();

    public SchedulerTests()
    {
        _inFlight = new InFlightLoad(_time);
        _profiles = new FixedProfileSource(SchedulingProfile.CreateDefault(_random));
    }

    private Scheduler Scheduler => new(_pool, _profiles, _inFlight, _time);

    private static SchedulingRequest Request(string? model = "llama", string[]? subset = null, bool explain = false) =>
        new(model, subset, explain);

    private DateTimeOffset SecondsAgo(double seconds) => _time.GetUtcNow() - TimeSpan.FromSeconds(seconds);

    private void Publish(params EndpointSnapshot[] endpoints) => _pool.Publish(Snapshot(endpoints));

    [Fact]
    public void Pick_ShortestQueue_RoutesThere()
    {
        Publish(Endpoint(A, waiting: 5), Endpoint(B, waiting: 0), Endpoint(C, waiting: 3));

        var result = Scheduler.Pick(Request());

        Assert.Equal(PickFailure.None, result.Failure);
        Assert.Equal(B, result.Primary?.Address);
        Assert.Equal(B, result.Destination);
        Assert.Equal(3, result.CandidateCount);
    }

    [Fact]
    public void Pick_EqualQueues_RoutesToMostFreeKvCache()
    {
        Publish(Endpoint(A, waiting: 1, kv: 0.75), Endpoint(B, waiting: 1, kv: 0.5), Endpoint(C, waiting: 1, kv: 0.25));

        var result = Scheduler.Pick(Request());

        Assert.Equal(C, result.Destination);
    }

    [Fact]
    public void Pick_AdapterActiveOnOneEndpoint_RoutesThere()
    {
        Publish(
            Endpoint(A, activeAdapters: ["chat-lora"], maxLora: 1),
            Endpoint(B, activeAdapters: ["sql-lora"], maxLora: 1),
            Endpoint(C, activeAdapters: ["code-lora"], maxLora: 1));

        var result = Scheduler.Pick(Request("sql-lora"));

        Assert.Equal(B, result.Destination);
    }

    [Fact]
    public void Pick_NoSnapshot_FailsWithNoEndpoints()
    {
        var result = Scheduler.Pick(Request());

        Assert.Equal(PickResult.Failed(PickFailure.NoEndpoints), result);
    }

    [Fact]
    public void Pick_EmptyPool_FailsWithNoEndpoints()
    {
        Publish();

        var result = Scheduler.Pick(Request());

        Assert.Equal(PickResult.Failed(PickFailure.NoEndpoints), result);
    }

    [Fact]
    public void Pick_SubsetNamesEveryEndpoint_ConsidersThemAll()
    {
        Publish(Endpoint(A, waiting: 5), Endpoint(B, waiting: 0), Endpoint(C, waiting: 3));

        var result = Scheduler.Pick(Request(subset: [A, B, C]));

        Assert.Equal(B, result.Destination);
        Assert.Equal(3, result.CandidateCount);
    }

    [Fact]
    public void Pick_SubsetNamesOneEndpoint_RoutesThereEvenIfOthersAreBetter()
    {
        Publish(Endpoint(A, waiting: 5), Endpoint(B, waiting: 0), Endpoint(C, waiting: 3));

        var result = Scheduler.Pick(Request(subset: [A]));

        Assert.Equal(A, result.Destination);
        Assert.Equal(1, result.CandidateCount);
    }

    [Fact]
    public void Pick_SubsetEntryIsBareIp_MatchesTheEndpointOnAnyPort()
    {
        Publish(Endpoint(A, waiting: 5), Endpoint(B, waiting: 0), Endpoint(C, waiting: 3));

        var result = Scheduler.Pick(Request(subset: ["10.0.0.3"]));

        Assert.Equal(C, result.Destination);
        Assert.Equal(1, result.CandidateCount);
    }

    [Fact]
    public void Pick_SubsetEntryIsBareIpv6_MatchesTheBracketedEndpoint()
    {
        Publish(Endpoint(A), Endpoint("[fd00::2]:8000", waiting: 9));

        var result = Scheduler.Pick(Request(subset: ["fd00::2"]));

        Assert.Equal("[fd00::2]:8000", result.Destination);
    }

    [Fact]
    public void Pick_SubsetEntryWithOtherPort_DoesNotMatch()
    {
        Publish(Endpoint(A), Endpoint(B));

        var result = Scheduler.Pick(Request(subset: ["10.0.0.1:9000"]));

        Assert.Equal(PickResult.Failed(PickFailure.SubsetMatchesNone), result);
    }

    [Fact]
    public void Pick_SubsetNamesNoEndpoint_FailsWithSubsetMatchesNone()
    {
        Publish(Endpoint(A), Endpoint(B));

        var result = Scheduler.Pick(Request(subset: ["10.9.9.9:8000", "10.9.9.8"]));

        Assert.Equal(PickResult.Failed(PickFailure.SubsetMatchesNone), result);
    }

    [Fact]
    public void Pick_EmptySubset_FailsWithSubsetMatchesNone()
    {
        Publish(Endpoint(A), Endpoint(B));

        var result = Scheduler.Pick(Request(subset: []));

        Assert.Equal(PickResult.Failed(PickFailure.SubsetMatchesNone), result);
    }

    [Fact]
    public void Pick_StaleEndpointLooksBest_ChoosesTheFreshOne()
    {
        Publish(
            Endpoint(A, waiting: 0, kv: 0, measuredAt: SecondsAgo(5)),
            Endpoint(B, waiting: 20, kv: 0.75, measuredAt: SecondsAgo(1)));

        var result = Scheduler.Pick(Request());

        Assert.Equal(B, result.Primary?.Address);
        Assert.Equal(1, result.CandidateCount);
    }

    [Fact]
    public void Pick_MeasuredExactlyStaleAfterAgo_CountsAsFresh()
    {
        Publish(
            Endpoint(A, waiting: 0, measuredAt: SecondsAgo(2)),
            Endpoint(B, waiting: 20, measuredAt: SecondsAgo(1)));

        var result = Scheduler.Pick(Request());

        Assert.Equal(A, result.Primary?.Address);
        Assert.Equal(2, result.CandidateCount);
    }

    [Fact]
    public void Pick_EveryEndpointStale_ChoosesAmongThemIgnoringTheirFigures()
    {
        // With figures ignored the two tie; the draw keeps the first, which by its stale figures is the worse.
        _random.Enqueue(ints: [1]);
        Publish(
            Endpoint(A, waiting: 30, kv: 0.75, measuredAt: SecondsAgo(10)),
            Endpoint(B, waiting: 0, kv: 0, measuredAt: SecondsAgo(10)));

        var result = Scheduler.Pick(Request());

        Assert.Equal(A, result.Primary?.Address);
        Assert.Equal(2, result.CandidateCount);
        Assert.Equal([2], _random.IntBounds);
    }

    [Fact]
    public void Pick_ThreeDestinations_NamesPrimaryThenFallbacksByScore()
    {
        _profiles.Current = SchedulingProfile.CreateDefault(_random) with { Destinations = 3 };
        Publish(Endpoint(A, waiting: 2), Endpoint(B, waiting: 0), Endpoint(C, waiting: 1), Endpoint(D, waiting: 4));

        var result = Scheduler.Pick(Request());

        Assert.Equal($"{B},{C},{A}", result.Destination);
        Assert.Equal(B, result.Primary?.Address);
    }

    [Fact]
    public void Pick_ThreeDestinationsButTwoFresh_AppendsStaleEndpointAsLastResort()
    {
        _profiles.Current = SchedulingProfile.CreateDefault(_random) with { Destinations = 3 };
        Publish(
            Endpoint(A, waiting: 0, measuredAt: SecondsAgo(9)),
            Endpoint(B, waiting: 4, measuredAt: SecondsAgo(1)),
            Endpoint(C, waiting: 0, measuredAt: SecondsAgo(8)),
            Endpoint(D, waiting: 1, measuredAt: SecondsAgo(1)));

        var result = Scheduler.Pick(Request());

        Assert.Equal($"{D},{B},{A}", result.Destination);
        Assert.Equal(2, result.CandidateCount);
    }

    [Fact]
    public void Pick_OneDestinationAndStaleEndpoints_NamesOnlyThePrimary()
    {
        Publish(Endpoint(A, measuredAt: SecondsAgo(9)), Endpoint(B, measuredAt: SecondsAgo(1)));

        var result = Scheduler.Pick(Request());

        Assert.Equal(B, result.Destination);
    }

    [Fact]
    public void Pick_FilterRemovesEveryEndpoint_FailsWithNothingSchedulable()
    {
        _profiles.Current = SchedulingProfile.CreateDefault(_random) with { Filters = [new RejectAllFilter()] };
        Publish(Endpoint(A), Endpoint(B));

        var result = Scheduler.Pick(Request());

        Assert.Equal(PickResult.Failed(PickFailure.NothingSchedulable), result);
    }

    [Fact]
    public void Pick_ExplainRequested_DescribesTopCandidatesWithEachScore()
    {
        _profiles.Current = Profile(
            new MaxScorePicker(_random),
            [new WeightedScorer(new QueueDepthScorer(), 2), new WeightedScorer(new KvCacheUtilizationScorer(), 1)],
            explainCandidates: 2);
        Publish(Endpoint(A, waiting: 4, kv: 0.5), Endpoint(B, waiting: 0, kv: 0.25), Endpoint(C, waiting: 2, kv: 0.75));

        var result = Scheduler.Pick(Request(explain: true));

        Assert.Equal(
            $"picked={B} candidates=3; {B} total=2.750 queue-depth=1.000 kv-cache=0.750; {C} total=1.250 queue-depth=0.500 kv-cache=0.250",
            result.Explanation);
    }

    [Fact]
    public void Pick_ExplainNotRequested_LeavesExplanationOut()
    {
        Publish(Endpoint(A), Endpoint(B, waiting: 1));

        var result = Scheduler.Pick(Request(explain: false));

        Assert.Null(result.Explanation);
    }

    [Fact]
    public void Pick_AfterDispatchToTheBestOfEqualEndpoints_RoutesTheNextRequestElsewhere()
    {
        // The first decision is a tie, and the draw keeps the first endpoint; the second must not draw at all.
        _random.Enqueue(ints: [1]);
        Publish(Endpoint(A, waiting: 1, measuredAt: SecondsAgo(1)), Endpoint(B, waiting: 1, measuredAt: SecondsAgo(1)));
        var first = Scheduler.Pick(Request());
        _inFlight.Dispatch(_inFlight.ForAddress(first.Primary!.Address));

        var second = Scheduler.Pick(Request());

        Assert.Equal(A, first.Primary.Address);
        Assert.Equal(B, second.Primary?.Address);
        Assert.Equal([2], _random.IntBounds);
    }

    [Fact]
    public void Pick_DispatchAlreadyMeasured_NoLongerCountsAgainstTheEndpoint()
    {
        // A's figures were taken after the dispatch and include it; counting it again would tip the choice to B.
        _inFlight.Dispatch(_inFlight.ForAddress(A));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Publish(
            Endpoint(A, waiting: 1, kv: 0.25, measuredAt: _time.GetUtcNow()),
            Endpoint(B, waiting: 1, kv: 0.5, measuredAt: _time.GetUtcNow()));

        var result = Scheduler.Pick(Request());

        Assert.Equal(A, result.Primary?.Address);
    }

    private sealed class RejectAllFilter : ICandidateFilter
    {
        public string Name => "reject-all";

        public int Filter(in SchedulingRequest request, Span<Candidate> candidates) => 0;
    }
}
