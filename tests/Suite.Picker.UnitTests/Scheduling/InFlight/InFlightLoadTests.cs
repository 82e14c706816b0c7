using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Scheduling.InFlight;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.InFlight;

public sealed class InFlightLoadTests
{
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void For_SameSnapshotTwice_ReturnsTheCachedArray()
    {
        var inFlight = new InFlightLoad(_time);
        var snapshot = Snapshot(Endpoint(A), Endpoint(B));
        var first = inFlight.For(snapshot);

        var second = inFlight.For(snapshot);

        Assert.True(first == second);
    }

    [Fact]
    public void For_Snapshot_ListsLoadsInSnapshotOrder()
    {
        var inFlight = new InFlightLoad(_time);

        var loads = inFlight.For(Snapshot(Endpoint(C), Endpoint(A), Endpoint(B)));

        Assert.Equal([C, A, B], loads.Select(load => load.Address));
    }

    [Fact]
    public void For_NewSnapshotWithSameAddress_KeepsTheLoadRecord()
    {
        var inFlight = new InFlightLoad(_time);
        var before = inFlight.For(Snapshot(Endpoint(A), Endpoint(B)));

        var after = inFlight.For(Snapshot(Endpoint(B, waiting: 3), Endpoint(A, waiting: 1)));

        Assert.Same(before[0], after[1]);
        Assert.Same(before[1], after[0]);
    }

    [Fact]
    public void For_IdleEndpointLeftTheSnapshot_ForgetsIt()
    {
        var inFlight = new InFlightLoad(_time);
        var original = inFlight.For(Snapshot(Endpoint(A), Endpoint(B)))[1];
        inFlight.For(Snapshot(Endpoint(A)));

        var returned = inFlight.For(Snapshot(Endpoint(A), Endpoint(B)))[1];

        Assert.NotSame(original, returned);
    }

    [Fact]
    public void For_BusyEndpointLeftTheSnapshot_KeepsItsRecord()
    {
        var inFlight = new InFlightLoad(_time);
        var original = inFlight.For(Snapshot(Endpoint(A), Endpoint(B)))[1];
        inFlight.Dispatch(original);
        inFlight.For(Snapshot(Endpoint(A)));

        var returned = inFlight.For(Snapshot(Endpoint(A), Endpoint(B)))[1];

        Assert.Same(original, returned);
        Assert.Equal(1, inFlight.InFlightTo(B));
    }

    [Fact]
    public void Dispatch_Load_StampsTheLeaseWithTheCurrentTime()
    {
        var inFlight = new InFlightLoad(_time);
        var load = inFlight.ForAddress(A);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        inFlight.Dispatch(load);

        var seenByEarlierMeasurement = load.Unseen(Start.UtcTicks + TimeSpan.FromMilliseconds(4).Ticks);
        var seenByThatMeasurement = load.Unseen(Start.UtcTicks + TimeSpan.FromMilliseconds(5).Ticks);

        Assert.Equal(1, seenByEarlierMeasurement);
        Assert.Equal(0, seenByThatMeasurement);
    }

    [Fact]
    public void ForAddress_AddressInSnapshot_ReturnsTheSameRecord()
    {
        var inFlight = new InFlightLoad(_time);
        var fromSnapshot = inFlight.For(Snapshot(Endpoint(A)))[0];

        var byAddress = inFlight.ForAddress(A);

        Assert.Same(fromSnapshot, byAddress);
    }

    [Fact]
    public void InFlightTo_NeverDispatched_IsZero()
    {
        var inFlight = new InFlightLoad(_time);

        var count = inFlight.InFlightTo(E);

        Assert.Equal(0, count);
    }
}
