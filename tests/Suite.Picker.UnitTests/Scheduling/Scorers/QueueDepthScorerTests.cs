using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class QueueDepthScorerTests
{
    [Fact]
    public void Score_DifferentQueues_ScalesFromLongestToShortest()
    {
        var candidates = Candidates(
            Endpoint(A, waiting: 4), Endpoint(B, waiting: 0), Endpoint(C, waiting: 2), Endpoint(D, waiting: 10));

        var scores = Scores(new QueueDepthScorer(), candidates);

        Assert.Equal([0.6, 1.0, 0.8, 0.0], scores);
    }

    [Fact]
    public void Score_AllQueuesEqual_GivesEveryCandidateOne()
    {
        var candidates = Candidates(Endpoint(A, waiting: 3), Endpoint(B, waiting: 3), Endpoint(C, waiting: 3));

        var scores = Scores(new QueueDepthScorer(), candidates);

        Assert.Equal([1.0, 1.0, 1.0], scores);
    }

    [Fact]
    public void Score_RunningRequestsDiffer_IgnoresThem()
    {
        var candidates = Candidates(Endpoint(A, waiting: 1, running: 50), Endpoint(B, waiting: 2, running: 0));

        var scores = Scores(new QueueDepthScorer(), candidates);

        Assert.Equal([1.0, 0.0], scores);
    }
}
