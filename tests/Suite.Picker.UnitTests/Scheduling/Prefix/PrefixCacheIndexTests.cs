using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Scheduling.Prefix;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Prefix;

public sealed class PrefixCacheIndexTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly PrefixCacheIndex _index;

    public PrefixCacheIndexTests()
    {
        _index = new PrefixCacheIndex(_time);
    }

    private int[] Match(ulong[] hashes, params string[] addresses)
    {
        var ids = addresses.Select(_index.IdOf).ToArray();
        var matched = new int[addresses.Length];
        _index.Match(hashes, ids, matched, MaxAge);
        return matched;
    }

    [Fact]
    public void Match_RecordedEndpoint_HoldsTheLeadingRun()
    {
        _index.Record(A, [1, 2, 3], capacityBlocks: 100);
        _index.Record(B, [1, 2], capacityBlocks: 100);

        Assert.Equal([3, 2, 0], Match([1, 2, 3, 4], A, B, C));
    }

    [Fact]
    public void Match_GapInTheRun_StopsAtTheFirstMiss()
    {
        _index.Record(A, [1, 3, 4], capacityBlocks: 100);

        Assert.Equal([1], Match([1, 2, 3, 4], A));
    }

    [Fact]
    public void Record_AtCapacity_EvictsTheLeastRecentlyUsedBlock()
    {
        _index.Record(A, [1, 2, 3], capacityBlocks: 3);
        _index.Record(A, [1], capacityBlocks: 3);   // 1 is now the most recent; 2 the least

        _index.Record(A, [4], capacityBlocks: 3);

        Assert.Equal(3, _index.BlockCount(A));
        Assert.Equal([0], Match([2], A));
        Assert.Equal([1], Match([1], A));
        Assert.Equal([1], Match([3], A));
        Assert.Equal([1], Match([4], A));
    }

    [Fact]
    public void Record_LongerThanCapacity_KeepsTheLastBlocks()
    {
        _index.Record(A, [1, 2, 3, 4, 5], capacityBlocks: 2);

        Assert.Equal(2, _index.BlockCount(A));
        Assert.Equal([0], Match([1], A));
        Assert.Equal([2], Match([4, 5], A));
    }

    [Fact]
    public void Match_OlderThanMaxAge_NoLongerCounts()
    {
        _index.Record(A, [1, 2], capacityBlocks: 100);
        _time.Advance(MaxAge);
        Assert.Equal([2], Match([1, 2], A));

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal([0], Match([1, 2], A));
    }

    [Fact]
    public void Match_RecordedAgain_CountsFromTheNewRecording()
    {
        _index.Record(A, [1, 2], capacityBlocks: 100);
        _time.Advance(MaxAge);
        _index.Record(A, [1], capacityBlocks: 100);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([1], Match([1, 2], A));
    }

    [Fact]
    public void Record_DecidedEarlier_CountsFromTheDecision()
    {
        _time.Advance(TimeSpan.FromMinutes(3));
        _index.Record(A, [1], capacityBlocks: 100, decidedAt: Start);
        _time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal([1], Match([1], A));

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal([0], Match([1], A));
    }

    [Fact]
    public void Record_OlderDecisionOfAHeldBlock_KeepsTheLaterTime()
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        _index.Record(A, [1], capacityBlocks: 100);
        _index.Record(A, [1], capacityBlocks: 100, decidedAt: Start);

        _time.Advance(MaxAge);

        Assert.Equal([1], Match([1], A));
    }

    [Fact]
    public void Record_DecidedInTheFuture_CountsFromNow()
    {
        _index.Record(A, [1], capacityBlocks: 100, decidedAt: Start + TimeSpan.FromMinutes(5));

        _time.Advance(MaxAge + TimeSpan.FromTicks(1));

        Assert.Equal([0], Match([1], A));
    }

    [Fact]
    public void Record_FifthEndpointForABlock_ReplacesTheOneThatReceivedItLongestAgo()
    {
        foreach (var address in new[] { A, B, C, D })
        {
            _index.Record(address, [7], capacityBlocks: 100);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _index.Record(E, [7], capacityBlocks: 100);

        Assert.Equal([0, 1, 1, 1, 1], Match([7], A, B, C, D, E));
    }

    [Fact]
    public void Retain_EndpointLeftThePool_IsForgotten()
    {
        _index.Record(A, [1, 2], capacityBlocks: 100);
        _index.Record(B, [1, 2], capacityBlocks: 100);

        _index.Retain(Snapshot(Endpoint(B)));

        Assert.Equal(-1, _index.IdOf(A));
        Assert.Equal(0, _index.BlockCount(A));
        Assert.Equal([2], Match([1, 2], B));
    }

    [Fact]
    public void Retain_EndpointBackInThePool_StartsEmpty()
    {
        _index.Record(A, [1, 2], capacityBlocks: 100);
        _index.Retain(Snapshot(Endpoint(B)));

        _index.Retain(Snapshot(Endpoint(A), Endpoint(B)));
        _index.Record(A, [5], capacityBlocks: 100);

        Assert.Equal([0], Match([1, 2], A));
        Assert.Equal(1, _index.BlockCount(A));
    }

    [Fact]
    public void RecordAndMatch_ManyThreads_StayWithinCapacityAndConsistent()
    {
        string[] addresses = [A, B, C, D, E];
        const int Capacity = 50;

        Parallel.For(0, 8, worker =>
        {
            var random = new Random(worker);
            var hashes = new ulong[16];
            var matched = new int[addresses.Length];
            var ids = new int[addresses.Length];
            for (var round = 0; round < 2_000; round++)
            {
                for (var i = 0; i < hashes.Length; i++)
                {
                    hashes[i] = (ulong)random.Next(200);
                }

                _index.Record(addresses[random.Next(addresses.Length)], hashes, Capacity);
                for (var c = 0; c < addresses.Length; c++)
                {
                    ids[c] = _index.IdOf(addresses[c]);
                }

                _index.Match(hashes, ids, matched, MaxAge);
                if (round % 500 == 0)
                {
                    _index.Retain(Snapshot(Endpoint(A), Endpoint(B), Endpoint(C), Endpoint(D), Endpoint(E)));
                }
            }
        });

        foreach (var address in addresses)
        {
            Assert.InRange(_index.BlockCount(address), 1, Capacity);
        }

        _index.Record(A, [1_000, 1_001], Capacity);
        Assert.Equal([2], Match([1_000, 1_001], A));
    }
}
