using Suite.Picker.Scheduling.InFlight;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.InFlight;

public sealed class EndpointLoadTests
{
    [Fact]
    public void Unseen_DeclaredFigures_CountsEveryLeaseInFlight()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        load.Dispatch(200);
        load.Dispatch(300);

        var unseen = load.Unseen(null);

        Assert.Equal(3, unseen);
    }

    [Fact]
    public void Unseen_MeasuredAfterSomeDispatches_CountsOnlyLaterOnes()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        load.Dispatch(200);
        load.Dispatch(300);

        var unseen = load.Unseen(200);

        Assert.Equal(1, unseen);
    }

    [Fact]
    public void Unseen_AfterANewerMeasurement_LeasesItCoveredStayTrimmed()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        load.Dispatch(200);
        load.Dispatch(300);
        load.Unseen(250);

        var unseen = load.Unseen(null);

        Assert.Equal(1, unseen);
    }

    [Fact]
    public void Unseen_OlderMeasurement_CountsEverythingDispatchedSince()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        load.Dispatch(200);

        var unseen = load.Unseen(50);

        Assert.Equal(2, unseen);
    }

    [Fact]
    public void Unseen_TrimmedLeases_StillCountAsInFlight()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        load.Dispatch(200);

        load.Unseen(500);

        Assert.Equal(2, load.InFlight);
    }

    [Fact]
    public void Release_UnseenLease_RemovesItFromUnseenAndInFlight()
    {
        var load = new EndpointLoad(A);
        var first = load.Dispatch(100);
        load.Dispatch(200);

        first.Release();

        Assert.Equal(1, load.Unseen(null));
        Assert.Equal(1, load.InFlight);
    }

    [Fact]
    public void Release_TrimmedLease_LowersInFlightOnly()
    {
        var load = new EndpointLoad(A);
        var first = load.Dispatch(100);
        load.Dispatch(200);
        load.Unseen(150);

        first.Release();

        Assert.Equal(1, load.Unseen(null));
        Assert.Equal(1, load.InFlight);
    }

    [Fact]
    public void Release_Twice_CountsOnce()
    {
        var load = new EndpointLoad(A);
        var first = load.Dispatch(100);
        load.Dispatch(200);

        first.Release();
        first.Release();

        Assert.Equal(1, load.Unseen(null));
        Assert.Equal(1, load.InFlight);
    }

    [Fact]
    public void Release_MiddleLease_KeepsOrderForLaterTrimming()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        var middle = load.Dispatch(200);
        load.Dispatch(300);
        middle.Release();

        var unseen = load.Unseen(150);

        Assert.Equal(1, unseen);
    }

    [Fact]
    public void Release_NewestLeaseThenDispatch_CountsTheNewOne()
    {
        var load = new EndpointLoad(A);
        load.Dispatch(100);
        var newest = load.Dispatch(200);
        newest.Release();
        load.Dispatch(300);

        var unseen = load.Unseen(150);

        Assert.Equal(1, unseen);
    }

    [Fact]
    public void Dispatch_Lease_NamesTheEndpoint()
    {
        var load = new EndpointLoad(B);

        var lease = load.Dispatch(100);

        Assert.Equal(B, lease.Address);
    }
}
