using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class OutstandingRequestsScorerTests
{
    [Fact]
    public void Score_SumsWaitingRunningAndUnseen_ScalesFromMostToFewest()
    {
        // Totals 10, 2 and 6: no single figure ranks the endpoints this way.
        Candidate[] candidates =
        [
            CandidateFor(Endpoint(A, waiting: 0, running: 8), unseenInFlight: 2),
            CandidateFor(Endpoint(B, waiting: 1, running: 1), unseenInFlight: 0),
            CandidateFor(Endpoint(C, waiting: 3, running: 0), unseenInFlight: 3),
        ];

        var scores = Scores(new OutstandingRequestsScorer(), candidates);

        Assert.Equal([0.0, 1.0, 0.5], scores);
    }

    [Fact]
    public void Score_NoQueues_PrefersTheSmallerBatch()
    {
        var candidates = Candidates(Endpoint(A, running: 8), Endpoint(B, running: 5));

        var scores = Scores(new OutstandingRequestsScorer(), candidates);

        Assert.Equal([0.0, 1.0], scores);
    }

    [Fact]
    public void Score_EqualTotals_GivesEveryCandidateOne()
    {
        var candidates = Candidates(Endpoint(A, waiting: 2, running: 3), Endpoint(B, running: 5));

        var scores = Scores(new OutstandingRequestsScorer(), candidates);

        Assert.Equal([1.0, 1.0], scores);
    }
}
