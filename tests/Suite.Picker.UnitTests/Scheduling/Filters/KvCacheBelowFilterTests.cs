using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Filters;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Filters;

public sealed class KvCacheBelowFilterTests
{
    private static readonly SchedulingRequest Request = new("llama", null, false);

    [Fact]
    public void Filter_SomeBelowThreshold_MovesThemToTheFront()
    {
        var candidates = Candidates(
            Endpoint(A, kv: 0.9), Endpoint(B, kv: 0.5), Endpoint(C, kv: 0.25), Endpoint(D, kv: 0.75));

        var kept = new KvCacheBelowFilter(0.5).Filter(Request, candidates);

        Assert.Equal(1, kept);
        Assert.Equal([C], Addresses(candidates.AsSpan(0, kept)));
    }

    [Fact]
    public void Filter_NoneBelowThreshold_KeepsEveryCandidateInOrder()
    {
        var candidates = Candidates(Endpoint(A, kv: 0.9), Endpoint(B, kv: 0.8), Endpoint(C, kv: 1.0));

        var kept = new KvCacheBelowFilter(0.8).Filter(Request, candidates);

        Assert.Equal(3, kept);
        Assert.Equal([A, B, C], Addresses(candidates));
    }
}
