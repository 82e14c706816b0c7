using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class InFlightLoadScorerTests
{
    [Fact]
    public void Score_DifferentUnseenInFlight_ScalesFromMostToFewest()
    {
        // Queues rank the endpoints the other way round, so only UnseenInFlight can produce these scores.
        Candidate[] candidates =
        [
            CandidateFor(Endpoint(A, waiting: 9), unseenInFlight: 0),
            CandidateFor(Endpoint(B, waiting: 0), unseenInFlight: 4),
            CandidateFor(Endpoint(C, waiting: 5), unseenInFlight: 2),
        ];

        var scores = Scores(new InFlightLoadScorer(), candidates);

        Assert.Equal([1.0, 0.0, 0.5], scores);
    }

    [Fact]
    public void Score_NothingInFlight_GivesEveryCandidateOne()
    {
        var candidates = Candidates(Endpoint(A, waiting: 9), Endpoint(B, waiting: 0));

        var scores = Scores(new InFlightLoadScorer(), candidates);

        Assert.Equal([1.0, 1.0], scores);
    }
}
