using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class PrefixCacheScorerTests
{
    private static readonly ulong[] Request = [11, 12, 13, 14];

    private readonly PrefixCacheIndex _index = new(new FakeTimeProvider(Start));

    private PrefixCacheScorer Scorer(bool loadGuard = true, int capacityBlocks = 0) => new(
        _index, PrefixCacheSettings.Default with { LoadGuard = loadGuard, CapacityBlocks = capacityBlocks }, SaturationThresholds.Default);

    private static double[] Scores(PrefixCacheScorer scorer, Candidate[] candidates, ulong[]? hashes = null)
    {
        var scores = new double[candidates.Length];
        scorer.Score(new SchedulingRequest("m", null, false, hashes ?? Request), candidates, scores);
        return scores;
    }

    private static double[] Rounded(double[] scores) => [.. scores.Select(score => Math.Round(score, 12))];

    [Fact]
    public void Score_GuardOff_IsTheFractionOfLeadingBlocksHeld()
    {
        _index.Record(A, Request, 100);
        _index.Record(B, Request.AsSpan(0, 2), 100);
        _index.Record(C, [99, 12, 13, 14], 100);

        var scores = Scores(Scorer(loadGuard: false), Candidates(Endpoint(A), Endpoint(B), Endpoint(C), Endpoint(D)));

        Assert.Equal([1.0, 0.5, 0.0, 0.0], scores);
    }

    [Fact]
    public void Score_GuardOff_IgnoresLoad()
    {
        _index.Record(A, Request, 100);

        var scores = Scores(Scorer(loadGuard: false), Candidates(Endpoint(A, waiting: 50, kv: 1), Endpoint(B)));

        Assert.Equal([1.0, 0.0], scores);
    }

    [Fact]
    public void Score_NoHashes_IsZeroEverywhere()
    {
        _index.Record(A, Request, 100);

        var scores = Scores(Scorer(), Candidates(Endpoint(A), Endpoint(B)), hashes: []);

        Assert.Equal([0.0, 0.0], scores);
    }

    [Fact]
    public void Score_GuardOn_FullAffinityUpToFourFifthsOfTheQueueThresholdNoneAtIt_KvIgnored()
    {
        foreach (var address in new[] { A, B, C, D })
        {
            _index.Record(address, Request, 100);
        }

        // Loads against the default queue threshold of 5: A 0, B 4/5 = 0.8, C 0 (a full cache is no load here), D 5/5 = 1.
        var scores = Scores(
            Scorer(),
            Candidates(Endpoint(A), Endpoint(B, waiting: 4), Endpoint(C, kv: 0.95), Endpoint(D, waiting: 5)));

        Assert.Equal([1.0, 1.0, 1.0, 0.0], Rounded(scores));
    }

    [Theory]
    [InlineData(0.8, 1.0)]
    [InlineData(0.9, 0.5)]
    [InlineData(0.95, 0.25)]
    [InlineData(1.2, 0.0)]
    public void Factor_BetweenFourFifthsAndSaturation_FallsLinearly(double load, double factor) =>
        Assert.Equal(factor, LoadGuard.Factor(load, minLoad: 0), precision: 9);

    [Fact]
    public void Score_GuardOn_CountsUnseenInFlightAsWaiting()
    {
        _index.Record(A, Request, 100);
        _index.Record(B, Request, 100);

        // A: (3 + 2) / 5 = 1, saturated by what this picker sent since the scrape; B: 3 / 5 = 0.6.
        Candidate[] candidates = [CandidateFor(Endpoint(A, waiting: 3), unseenInFlight: 2), CandidateFor(Endpoint(B, waiting: 3))];

        Assert.Equal([0.0, 1.0], Rounded(Scores(Scorer(), candidates)));
    }

    [Fact]
    public void Score_GuardOnEveryCandidateSaturated_AffinityDecidesNothing()
    {
        _index.Record(A, Request, 100);

        var scores = Scores(Scorer(), Candidates(Endpoint(A, waiting: 5), Endpoint(B, kv: 0.9)));

        Assert.Equal([0.0, 0.0], scores);
    }

    [Fact]
    public void Record_CapacityFromThePodsCacheConfig_BoundsTheEndpoint()
    {
        // 16 tokens × 2 blocks × 4 characters / 64 bytes = 2 blocks.
        var endpoint = Endpoint(A) with { Metrics = Endpoint(A).Metrics with { BlockSize = 16, BlockCount = 2 } };

        Scorer().Record(new SchedulingRequest("m", null, false, Request), endpoint);

        Assert.Equal(2, _index.BlockCount(A));
    }

    [Theory]
    [InlineData(0, 16, 31_250, 0, 31_250)]
    [InlineData(0, 16, 0, 0, PrefixCacheSettings.FallbackCapacityBlocks)]
    [InlineData(500, 16, 31_250, 0, 500)]
    [InlineData(0, 16, 1_000, 128, 500)]
    public void CapacityOf_CacheConfig_ConvertsTokensToByteBlocks(
        int capacityBlocks, int tokensPerBlock, int blockCount, int blockBytes, int expected)
    {
        var settings = PrefixCacheSettings.Default with
        {
            CapacityBlocks = capacityBlocks,
            BlockBytes = blockBytes == 0 ? 64 : blockBytes,
        };
        var metrics = EndpointMetrics.Empty with { BlockSize = tokensPerBlock, BlockCount = blockCount == 0 ? null : blockCount };

        Assert.Equal(expected, settings.CapacityOf(metrics));
    }
}
