using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Filters;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Filters;

public sealed class LowQueueFilterTests
{
    private static readonly SchedulingRequest Request = new("llama", null, false);

    [Fact]
    public void Filter_SomeQueuesAtOrBelowThreshold_MovesThemToTheFront()
    {
        var candidates = Candidates(
            Endpoint(A, waiting: 5), Endpoint(B, waiting: 1), Endpoint(C, waiting: 3), Endpoint(D, waiting: 2));

        var kept = new LowQueueFilter(2).Filter(Request, candidates);

        Assert.Equal(2, kept);
        Assert.Equal([B, D], Addresses(candidates.AsSpan(0, kept)));
    }

    [Fact]
    public void Filter_NoQueueAtOrBelowThreshold_KeepsEveryCandidateInOrder()
    {
        var candidates = Candidates(Endpoint(A, waiting: 5), Endpoint(B, waiting: 9), Endpoint(C, waiting: 3));

        var kept = new LowQueueFilter(2).Filter(Request, candidates);

        Assert.Equal(3, kept);
        Assert.Equal([A, B, C], Addresses(candidates));
    }

    [Fact]
    public void Filter_EveryQueueAtOrBelowThreshold_KeepsEveryCandidateInOrder()
    {
        var candidates = Candidates(Endpoint(A, waiting: 2), Endpoint(B, waiting: 0));

        var kept = new LowQueueFilter(2).Filter(Request, candidates);

        Assert.Equal(2, kept);
        Assert.Equal([A, B], Addresses(candidates));
    }
}
