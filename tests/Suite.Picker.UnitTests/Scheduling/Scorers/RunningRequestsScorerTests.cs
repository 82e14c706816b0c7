using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class RunningRequestsScorerTests
{
    [Fact]
    public void Score_DifferentBatches_ScalesFromLargestToSmallest()
    {
        var candidates = Candidates(Endpoint(A, running: 9), Endpoint(B, running: 1), Endpoint(C, running: 5));

        var scores = Scores(new RunningRequestsScorer(), candidates);

        Assert.Equal([0.0, 1.0, 0.5], scores);
    }

    [Fact]
    public void Score_AllBatchesEqual_GivesEveryCandidateOne()
    {
        var candidates = Candidates(Endpoint(A, running: 7), Endpoint(B, running: 7));

        var scores = Scores(new RunningRequestsScorer(), candidates);

        Assert.Equal([1.0, 1.0], scores);
    }

    [Fact]
    public void Score_QueuesDiffer_IgnoresThem()
    {
        var candidates = Candidates(Endpoint(A, waiting: 0, running: 4), Endpoint(B, waiting: 30, running: 0));

        var scores = Scores(new RunningRequestsScorer(), candidates);

        Assert.Equal([0.0, 1.0], scores);
    }
}
