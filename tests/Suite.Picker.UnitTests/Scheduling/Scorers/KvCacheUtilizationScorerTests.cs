using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class KvCacheUtilizationScorerTests
{
    [Fact]
    public void Score_UtilisationWithinRange_IsOneMinusUtilisation()
    {
        var candidates = Candidates(Endpoint(A, kv: 0.25), Endpoint(B, kv: 0.5), Endpoint(C, kv: 0.0), Endpoint(D, kv: 1.0));

        var scores = Scores(new KvCacheUtilizationScorer(), candidates);

        Assert.Equal([0.75, 0.5, 1.0, 0.0], scores);
    }

    [Fact]
    public void Score_UtilisationOutOfRange_IsClampedFirst()
    {
        var candidates = Candidates(Endpoint(A, kv: 1.5), Endpoint(B, kv: -0.5));

        var scores = Scores(new KvCacheUtilizationScorer(), candidates);

        Assert.Equal([0.0, 1.0], scores);
    }
}
