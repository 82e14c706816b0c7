using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Picker.Admission;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Admission;

public sealed class PoolSaturationCacheTests
{
    private readonly PoolSaturationCache _cache = new(SaturationThresholds.Default);

    [Fact]
    public void Of_Snapshot_AveragesThePodsSaturation()
    {
        var snapshot = Pool(1, Endpoint(A, waiting: 10), Endpoint(B, kv: 0.4));

        Assert.Equal(1.25, _cache.Of(snapshot, Start));
    }

    [Fact]
    public void Of_NewerSnapshot_IsComputedAfresh()
    {
        _cache.Of(Pool(1, Endpoint(A, waiting: 10)), Start);

        Assert.Equal(0.2, _cache.Of(Pool(2, Endpoint(A, waiting: 1)), Start));
    }

    [Fact]
    public void Of_SameSnapshotAgain_AllocatesNothing()
    {
        var snapshot = Pool(1, Endpoint(A, waiting: 1, measuredAt: Start), Endpoint(B, kv: 0.4));
        _cache.Of(snapshot, Start);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _cache.Of(snapshot, Start + TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Of_PodFiguresGoStaleWithoutANewSnapshot_ThePodCountsSaturated()
    {
        var snapshot = Pool(1, Endpoint(A, waiting: 0, measuredAt: Start), Endpoint(B, waiting: 0));

        var fresh = _cache.Of(snapshot, Start + TimeSpan.FromSeconds(2));
        var stale = _cache.Of(snapshot, Start + TimeSpan.FromSeconds(2) + TimeSpan.FromTicks(1));

        Assert.Equal((0.0, 0.5), (fresh, stale));
    }

    [Fact]
    public void Of_PodAlreadyStale_StaysSaturatedLater()
    {
        var snapshot = Pool(1, Endpoint(A, waiting: 0, measuredAt: Start - TimeSpan.FromSeconds(5)), Endpoint(B, waiting: 0));

        Assert.Equal(0.5, _cache.Of(snapshot, Start));
        Assert.Equal(0.5, _cache.Of(snapshot, Start + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Of_PoolWithoutEndpoints_IsSaturated()
    {
        Assert.Equal(1.0, _cache.Of(Pool(1), Start));
    }

    private static PoolSnapshot Pool(long version, params EndpointSnapshot[] endpoints) =>
        new("chat-pool", version, Start, [.. endpoints]);
}
