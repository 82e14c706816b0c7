namespace Suite.Picker.Scheduling.Scorers;

/// <summary>Prefers endpoints with fewer requests in their running batch.</summary>
public sealed class RunningRequestsScorer : IEndpointScorer
{
    public const string TypeName = "running-requests";

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores) =>
        InverseRange.Score<RunningRequestsFigure>(candidates, scores);

    private readonly struct RunningRequestsFigure : ICandidateFigure
    {
        public static int Read(in Candidate candidate) => candidate.Metrics.RunningRequests;
    }
}
